"""store what a reminder card was sent with

A redraw after a button press reads these to show the invoices and tone the card was sent with.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 21:00:55.703638
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('reminder_card', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invoice_ids', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('kind', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('level', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('tone', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('reminder_card', schema=None) as batch_op:
        batch_op.drop_column('tone')
        batch_op.drop_column('level')
        batch_op.drop_column('kind')
        batch_op.drop_column('invoice_ids')
