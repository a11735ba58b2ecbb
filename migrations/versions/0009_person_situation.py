"""person.region and person.residence: where in the country and the residence situation (/mydata, /profile)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 21:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('region', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('residence', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('residence')
        batch_op.drop_column('region')
