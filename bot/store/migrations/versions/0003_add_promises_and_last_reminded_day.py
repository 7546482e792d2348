"""add promises and last reminded day

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 20:08:46.449564
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('promise',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('made_by', sa.String(length=64), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('amount_units', sa.BigInteger(), nullable=False),
    sa.Column('pay_by', sa.Date(), nullable=False),
    sa.Column('balance_when_made_units', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('resolved_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_promise_customer_id_customer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promise'))
    )
    with op.batch_alter_table('promise', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_promise_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_promise_status'), ['status'], unique=False)

    op.create_table('promise_invoice',
    sa.Column('promise_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoice.id'], name=op.f('fk_promise_invoice_invoice_id_invoice')),
    sa.ForeignKeyConstraint(['promise_id'], ['promise.id'], name=op.f('fk_promise_invoice_promise_id_promise'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('promise_id', 'invoice_id', name=op.f('pk_promise_invoice'))
    )
    with op.batch_alter_table('promise_invoice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_promise_invoice_invoice_id'), ['invoice_id'], unique=False)

    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_reminded_on', sa.Date(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.drop_column('last_reminded_on')

    with op.batch_alter_table('promise_invoice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_promise_invoice_invoice_id'))

    op.drop_table('promise_invoice')
    with op.batch_alter_table('promise', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_promise_status'))
        batch_op.drop_index(batch_op.f('ix_promise_customer_id'))

    op.drop_table('promise')
