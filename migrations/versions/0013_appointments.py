"""appointments and their scheduled reminder steps (bot.appointments)

Revision ID: 0013_appointments
Revises: 0011_mentor_care
Create Date: 2026-12-07 23:50:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0013_appointments'
down_revision = '0011_mentor_care'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('appointment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('timezone', sa.String(length=40), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('set_by', sa.String(length=8), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=True),
    sa.Column('handoff_id', sa.Integer(), nullable=True),
    sa.Column('confirmed', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['handoff_id'], ['handoff.id'], name=op.f('fk_appointment_handoff_id_handoff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['mentor_id'], ['mentor.id'], name=op.f('fk_appointment_mentor_id_mentor'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_appointment_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointment'))
    )
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appointment_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_appointment_status'), ['status'], unique=False)
    op.create_table('reminder_send',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appointment_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=16), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('skipped', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointment.id'], name=op.f('fk_reminder_send_appointment_id_appointment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_send')),
    sa.UniqueConstraint('appointment_id', 'step', name=op.f('uq_reminder_send_appointment_id'))
    )
    with op.batch_alter_table('reminder_send', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_send_appointment_id'), ['appointment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_send_due_at'), ['due_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('reminder_send', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_send_due_at'))
        batch_op.drop_index(batch_op.f('ix_reminder_send_appointment_id'))
    op.drop_table('reminder_send')
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appointment_status'))
        batch_op.drop_index(batch_op.f('ix_appointment_person_id'))
    op.drop_table('appointment')
