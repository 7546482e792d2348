"""add customer search text

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05 10:00:00
"""
from alembic import op
import sqlalchemy as sa

from bot.store.search_text import customer_search_text


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('customer', sa.Column('search_text', sa.Text(), nullable=True))

    # Fill the folded copy for customers that already exist.
    customer = sa.table(
        'customer',
        sa.column('id', sa.Integer()),
        sa.column('code', sa.String()),
        sa.column('name', sa.String()),
        sa.column('search_text', sa.Text()),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(customer.c.id, customer.c.code, customer.c.name)).all()
    for row in rows:
        connection.execute(
            customer.update()
            .where(customer.c.id == row.id)
            .values(search_text=customer_search_text(row.code, row.name))
        )


def downgrade() -> None:
    with op.batch_alter_table('customer') as batch_op:
        batch_op.drop_column('search_text')
