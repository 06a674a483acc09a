"""cash_outs: the sandbox bank account and the record of cash-outs (提现, issue 14)

Revision ID: 4e8b1c6d2f37
Revises: a4e1c9d27b30
Create Date: 2026-12-03 07:20:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import paimai.persistence.types


# revision identifiers, used by Alembic.
revision: str = '4e8b1c6d2f37'
down_revision: Union[str, Sequence[str], None] = 'a4e1c9d27b30'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'bank_accounts',
        sa.Column('user_id', ID, nullable=False),
        sa.Column('bank_name', sa.String(length=64), nullable=False),
        sa.Column('holder', sa.String(length=64), nullable=False),
        sa.Column('number_masked', sa.String(length=32), nullable=False),
        sa.Column('last4', sa.String(length=4), nullable=False),
        sa.Column('updated_at', paimai.persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint('length(last4) = 4', name=op.f('ck_bank_accounts_last4_four_digits')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_bank_accounts_user_id_users')),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_bank_accounts')),
    )
    op.create_table(
        'cash_outs',
        sa.Column('id', ID, nullable=False),
        sa.Column('user_id', ID, nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('bank_name', sa.String(length=64), nullable=False),
        sa.Column('number_masked', sa.String(length=32), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('entry_id', ID, nullable=False),
        sa.Column('created_at', paimai.persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint('amount > 0', name=op.f('ck_cash_outs_amount_positive')),
        sa.ForeignKeyConstraint(['entry_id'], ['journal_entries.id'], name=op.f('fk_cash_outs_entry_id_journal_entries')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cash_outs_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cash_outs')),
        sa.UniqueConstraint('entry_id', name=op.f('uq_cash_outs_entry_id')),
    )
    with op.batch_alter_table('cash_outs', schema=None) as batch_op:
        batch_op.create_index('ix_cash_outs_user_id_id', ['user_id', 'id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('cash_outs', schema=None) as batch_op:
        batch_op.drop_index('ix_cash_outs_user_id_id')
    op.drop_table('cash_outs')
    op.drop_table('bank_accounts')
