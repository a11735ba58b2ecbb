"""Care for mentors and no chat left unanswered (issue 16): reply alert and release on the case, debrief request,
guide acceptance and weekly-limit note on the mentor; duty periods, saved replies, the boundaries guide

Revision ID: 0011_mentor_care
Revises: 0009
Create Date: 2026-12-08 09:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0011_mentor_care'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('handoff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply_alerted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('released_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('debrief_requested_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('mentor', schema=None) as batch_op:
        batch_op.add_column(sa.Column('guide_version', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('guide_accepted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('limit_noted_week', sa.String(length=8), nullable=True))
    op.create_table(
        'duty_period',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('mentor_id', sa.Integer(), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['mentor_id'], ['mentor.id'], name=op.f('fk_duty_period_mentor_id_mentor'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_duty_period')),
    )
    with op.batch_alter_table('duty_period', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duty_period_mentor_id'), ['mentor_id'], unique=False)
    op.create_table(
        'saved_reply',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=32), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by', sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_reply')),
        sa.UniqueConstraint('name', 'language', name=op.f('uq_saved_reply_name')),
    )
    op.create_table(
        'guide_text',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by', sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_guide_text')),
        sa.UniqueConstraint('language', name=op.f('uq_guide_text_language')),
    )


def downgrade() -> None:
    op.drop_table('guide_text')
    op.drop_table('saved_reply')
    with op.batch_alter_table('duty_period', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_duty_period_mentor_id'))
    op.drop_table('duty_period')
    with op.batch_alter_table('mentor', schema=None) as batch_op:
        batch_op.drop_column('limit_noted_week')
        batch_op.drop_column('guide_accepted_at')
        batch_op.drop_column('guide_version')
    with op.batch_alter_table('handoff', schema=None) as batch_op:
        batch_op.drop_column('debrief_requested_at')
        batch_op.drop_column('released_at')
        batch_op.drop_column('reply_alerted_at')
