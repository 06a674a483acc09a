"""judicial listing (issue 9): the announcement and the court's texts on lots; notice_acceptances

Revision ID: d9a3f6b2c8e4
Revises: e2a7c4b91d05
Create Date: 2026-12-03 12:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import paimai.persistence.types


# revision identifiers, used by Alembic.
revision: str = 'd9a3f6b2c8e4'
down_revision: Union[str, Sequence[str], None] = 'e2a7c4b91d05'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('lots') as batch:
        batch.add_column(sa.Column('announced_at', paimai.persistence.types.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column('court_name', sa.String(length=128), server_default='', nullable=False))
        batch.add_column(sa.Column('case_number', sa.String(length=64), server_default='', nullable=False))
        batch.add_column(sa.Column('announcement', sa.Text(), server_default='', nullable=False))
        batch.add_column(sa.Column('bidder_notice', sa.Text(), server_default='', nullable=False))
        batch.add_column(sa.Column('as_is_notice', sa.Text(), server_default='', nullable=False))
        batch.add_column(sa.Column('contact', sa.String(length=200), server_default='', nullable=False))
        batch.add_column(sa.Column('viewing', sa.Text(), server_default='', nullable=False))
    op.create_table(
        'notice_acceptances',
        sa.Column('id', ID, nullable=False),
        sa.Column('lot_id', ID, nullable=False),
        sa.Column('user_id', ID, nullable=False),
        sa.Column('accepted_at', paimai.persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_notice_acceptances_lot_id_lots')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notice_acceptances_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_acceptances')),
        sa.UniqueConstraint('lot_id', 'user_id', name=op.f('uq_notice_acceptances_lot_id_user_id')),
    )
    with op.batch_alter_table('notice_acceptances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_acceptances_lot_id'), ['lot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_acceptances_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('notice_acceptances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_acceptances_user_id'))
        batch_op.drop_index(batch_op.f('ix_notice_acceptances_lot_id'))
    op.drop_table('notice_acceptances')
    with op.batch_alter_table('lots') as batch:
        for name in ('viewing', 'contact', 'as_is_notice', 'bidder_notice', 'announcement', 'case_number',
                     'court_name', 'announced_at'):
            batch.drop_column(name)
