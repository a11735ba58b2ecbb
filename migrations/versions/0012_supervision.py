"""the supervisors' live desk: when and by whom a case was flagged and answered; a staff account's Telegram
supervisor account (take over); the supervision record

Revision ID: 0012_supervision
Revises: 0010_knowledge_admin
Create Date: 2026-12-07 23:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0012_supervision'
down_revision = '0010_knowledge_admin'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('supervision_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('topics', sa.String(length=200), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('recorded_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['mentor_id'], ['mentor.id'], name=op.f('fk_supervision_session_mentor_id_mentor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_session'))
    )
    with op.batch_alter_table('supervision_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_session_held_on'), ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_session_mentor_id'), ['mentor_id'], unique=False)

    with op.batch_alter_table('handoff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('flagged_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('flagged_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('flag_note', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('flag_answered_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('flag_answered_by', sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_handoff_flagged_by_id_mentor'), 'mentor', ['flagged_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mentor_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_staff_user_mentor_id'), ['mentor_id'])
        batch_op.create_foreign_key(batch_op.f('fk_staff_user_mentor_id_mentor'), 'mentor', ['mentor_id'], ['id'], ondelete='SET NULL')

    # flags raised before this revision: waiting since the case was claimed (their real time was not recorded)
    op.execute("UPDATE handoff SET flagged_at = COALESCE(claimed_at, created_at) WHERE flagged = true")


def downgrade() -> None:
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_staff_user_mentor_id_mentor'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_staff_user_mentor_id'), type_='unique')
        batch_op.drop_column('mentor_id')

    with op.batch_alter_table('handoff', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_handoff_flagged_by_id_mentor'), type_='foreignkey')
        batch_op.drop_column('flag_answered_by')
        batch_op.drop_column('flag_answered_at')
        batch_op.drop_column('flag_note')
        batch_op.drop_column('flagged_by_id')
        batch_op.drop_column('flagged_at')

    with op.batch_alter_table('supervision_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_session_mentor_id'))
        batch_op.drop_index(batch_op.f('ix_supervision_session_held_on'))

    op.drop_table('supervision_session')
