"""Reviews: product and store reviews, in Jornada's own review export format.

There is no vendor behind this table: the store's review app exports reviews in
a format the project documents itself, field by field, in
models/staging/reviews/_reviews__docs.md (doc block `reviews__reviews_format`)
and in the source yml. One row per review; all values text, timestamps ISO
8601 UTC ("2026-08-03T12:00:00Z"), booleans `true`/`false`, names snake_case.

What the world's facts become: the app asks for a review after a share of the
orders (history included), a few days after delivery. Most buyers review a
product of the order on the store site (`product_sku` set, `verified_buyer`
true); some review the store itself there (`product_sku` null), and some post
on Google instead, which the app imports without order or email (the Google
display name only, `verified_buyer` false). A few persons without an order
review the store on the site. Ratings follow the order's fate: cancelled and
refunded orders are reviewed more often and worse. The moderator unpublishes a
few reviews (`published` false); Google reviews are always published.

Planted malformed rows: an empty `review_id` (missing_id), an unreadable
`created_at` (unparseable_timestamp), a `platform` outside store_site/google
(unknown_status) and ratings 0 and 6 (invalid_value).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from jornada_gen.exports import RawTable
from jornada_gen.identifiers import email_as_written
from jornada_gen.world import BUSINESS_TZ, Order, Person, World, local_business_time

COLUMNS = [
    "review_id",
    "platform",
    "product_sku",
    "order_id",
    "rating",
    "title",
    "body",
    "reviewer_name",
    "reviewer_email",
    "created_at",
    "published",
    "verified_buyer",
]

# Star weights (1..5) by the order's financial fate.
RATING_WEIGHTS = {
    "paid": [2, 3, 8, 27, 60],
    "pending": [10, 15, 25, 25, 25],
    "partially_refunded": [15, 25, 30, 20, 10],
    "refunded": [35, 30, 20, 10, 5],
    "voided": [50, 25, 15, 7, 3],
}

TEXTS = {
    5: [
        ("Perfeito!", "Café fresquinho, aroma incrível. Chegou antes do prazo e muito bem embalado."),
        ("Recomendo demais", "Já é a terceira vez que compro. Qualidade sempre impecável."),
        ("Excelente", "Moagem certinha para a minha prensa francesa. Vou comprar de novo."),
    ],
    4: [
        ("Muito bom", "Produto ótimo, só achei o frete um pouco caro."),
        ("Gostei", "Sabor equilibrado, entrega dentro do prazo."),
    ],
    3: [
        ("Razoável", "O café é bom, mas a entrega atrasou alguns dias."),
        ("Ok", "Esperava um pouco mais pelo preço."),
    ],
    2: [
        ("Decepcionado", "Embalagem chegou amassada e o atendimento demorou para responder."),
        ("Não gostei", "Sabor muito amargo, diferente da descrição do site."),
    ],
    1: [
        ("Péssimo", "Meu pedido foi cancelado sem aviso e até agora nada do reembolso."),
        ("Não recomendo", "Pedido nunca chegou. Atendimento não resolve."),
        ("Horrível", "Produto veio errado e tive que pagar a devolução."),
    ],
}


def iso(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class ReviewWriter:
    def __init__(self, world: World, rng: random.Random, table: RawTable) -> None:
        self.world = world
        self.rng = rng
        self.table = table
        self.used: set[str] = set()

    def review_id(self) -> str:
        while True:
            candidate = f"rev_{self.rng.getrandbits(64):016x}"
            if candidate not in self.used:
                self.used.add(candidate)
                return candidate

    def site_name(self, person: Person) -> str:
        """The name the reviewer typed into the review form."""
        rng = self.rng
        style = rng.random()
        if style < 0.5:
            return f"{person.first_name} {person.last_name}"
        if style < 0.8:
            return person.first_name
        return f"{person.first_name} {person.last_name.split()[-1][0]}."

    def google_name(self, person: Person) -> str:
        """Google shows the account's display name."""
        if self.rng.random() < 0.6:
            return f"{person.first_name} {person.last_name.split()[-1]}"
        return f"{person.first_name} {person.last_name.split()[-1][0]}."

    def add(
        self,
        *,
        person: Person,
        created_at: datetime,
        rating: int,
        platform: str,
        product_sku: str | None,
        order_id: str | None,
    ) -> None:
        rng = self.rng
        text_title, body = rng.choice(TEXTS[rating])
        title = None if rng.random() < 0.3 else text_title  # the title is optional on the form
        google = platform == "google"
        published = google or rng.random() > (0.12 if rating == 1 else 0.03)
        row = {
            "review_id": self.review_id(),
            "platform": platform,
            "product_sku": product_sku,
            "order_id": order_id,
            "rating": str(rating),
            "title": title,
            "body": body,
            "reviewer_name": self.google_name(person) if google else self.site_name(person),
            "reviewer_email": None if google else email_as_written(person, rng),
            "created_at": iso(created_at),
            "published": "true" if published else "false",
            "verified_buyer": "true" if order_id is not None else "false",
        }
        self.table.add(created_at, row)


def _order_review(world: World, rng: random.Random, writer: ReviewWriter, order: Order) -> None:
    status = order.financial_status
    if rng.random() > (0.18 if status == "paid" else 0.32):
        return
    day = (order.created_at.astimezone(BUSINESS_TZ) + timedelta(days=rng.randrange(4, 21))).date()
    created_at = local_business_time(rng, day, 7, 23)
    if created_at >= world.end_at:
        return
    rating = rng.choices([1, 2, 3, 4, 5], RATING_WEIGHTS[status])[0]
    roll = rng.random()
    if status == "voided" or roll < 0.12:
        platform, sku, order_id = "store_site", None, order.order_id  # the store, not a product
    elif roll < 0.30:
        platform, sku, order_id = "google", None, None
    else:
        platform, sku, order_id = "store_site", rng.choice(order.lines)[0], order.order_id
    if status == "voided" and rng.random() < 0.4:
        platform, order_id = "google", None
    writer.add(
        person=order.person,
        created_at=created_at,
        rating=rating,
        platform=platform,
        product_sku=sku,
        order_id=order_id,
    )


def render(world: World, rng: random.Random) -> list[RawTable]:
    table = RawTable(
        "reviews",
        "reviews",
        COLUMNS,
        "Product and store reviews (store site and Google), one row per review, Jornada review export format.",
        redeliveries=4,
        overlap=10,
    )
    writer = ReviewWriter(world, rng, table)
    for order in world.orders:
        _order_review(world, rng, writer, order)
    buyers = {o.person.key for o in world.orders}
    for person in rng.sample([p for p in world.persons if p.key not in buyers], 12):
        created_at = local_business_time(rng, world.start + timedelta(days=rng.randrange(world.days)), 7, 23)
        writer.add(
            person=person,
            created_at=created_at,
            rating=rng.choices([1, 2, 3, 4, 5], [10, 10, 20, 30, 30])[0],
            platform="store_site",
            product_sku=None,
            order_id=None,
        )

    # Malformed rows, in known counts, that staging must quarantine.
    samples = rng.sample(table.rows, 5)
    at, row = samples[0]
    table.add_malformed(at, dict(row, review_id=None), "missing_id")
    at, row = samples[1]
    table.add_malformed(
        at, dict(row, review_id=writer.review_id(), created_at="2026-02-30T10:00:00Z"), "unparseable_timestamp"
    )
    at, row = samples[2]
    table.add_malformed(at, dict(row, review_id=writer.review_id(), platform="reclame_aqui"), "unknown_status")
    at, row = samples[3]
    table.add_malformed(at, dict(row, review_id=writer.review_id(), rating="6"), "invalid_value")
    at, row = samples[4]
    table.add_malformed(at, dict(row, review_id=writer.review_id(), rating="0"), "invalid_value")
    return [table]
