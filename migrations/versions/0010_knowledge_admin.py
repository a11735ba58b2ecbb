"""knowledge_entry: knowledge-base entries created, changed or retired by staff in the web admin

Revision ID: 0010_knowledge_admin
Revises: 0013_appointments
Create Date: 2026-12-07 23:50:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0010_knowledge_admin'
down_revision = '0013_appointments'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('knowledge_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.String(length=120), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('topic', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('draft', sa.Text(), nullable=True),
    sa.Column('published', sa.Text(), nullable=True),
    sa.Column('checked', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_by', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_entry')),
    sa.UniqueConstraint('entry_id', name=op.f('uq_knowledge_entry_entry_id'))
    )
    with op.batch_alter_table('knowledge_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_knowledge_entry_country'), ['country'], unique=False)
        batch_op.create_index(batch_op.f('ix_knowledge_entry_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('knowledge_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_knowledge_entry_status'))
        batch_op.drop_index(batch_op.f('ix_knowledge_entry_country'))
    op.drop_table('knowledge_entry')
