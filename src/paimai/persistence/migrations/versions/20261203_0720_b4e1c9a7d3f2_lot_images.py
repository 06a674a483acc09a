"""lot_images and seller_documents: uploaded photos of a lot and an applicant's documents (issue 14)

The bytes live in media storage (services/storage.py) under random keys; these rows say whose they are.

Revision ID: b4e1c9a7d3f2
Revises: a41f5c2e8b07
Create Date: 2026-12-03 07:20:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import paimai.persistence.types


# revision identifiers, used by Alembic.
revision: str = 'b4e1c9a7d3f2'
down_revision: Union[str, Sequence[str], None] = 'a41f5c2e8b07'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'lot_images',
        sa.Column('id', ID, nullable=False),
        sa.Column('lot_id', ID, nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('thumb_key', sa.String(length=64), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('created_at', paimai.persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_lot_images_lot_id_lots')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lot_images')),
        sa.UniqueConstraint('key', name=op.f('uq_lot_images_key')),
        sa.UniqueConstraint('thumb_key', name=op.f('uq_lot_images_thumb_key')),
    )
    with op.batch_alter_table('lot_images', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lot_images_lot_id'), ['lot_id'], unique=False)
    op.create_table(
        'seller_documents',
        sa.Column('id', ID, nullable=False),
        sa.Column('user_id', ID, nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('content_type', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('created_at', paimai.persistence.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_seller_documents_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_seller_documents')),
        sa.UniqueConstraint('key', name=op.f('uq_seller_documents_key')),
    )
    with op.batch_alter_table('seller_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seller_documents_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('seller_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seller_documents_user_id'))
    op.drop_table('seller_documents')
    with op.batch_alter_table('lot_images', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lot_images_lot_id'))
    op.drop_table('lot_images')
