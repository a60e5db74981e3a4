"""Social: the brand's posts and the interactions around them, in Jornada's own format.

There is no single vendor behind these tables: our exporter pulls post metrics
from each network's insights API and the social listening tool exports what it
captured, both in formats the project documents itself, field by field, in
models/staging/social/_social__docs.md (doc blocks `social__posts_format` and
`social__interactions_format`) and in the source yml. All values text,
timestamps ISO 8601 UTC ("2026-08-03T12:00:00Z"), booleans `true`/`false`,
names snake_case.

- `posts`: about 3 posts a week on each network (instagram, facebook, tiktok,
  linkedin) over the world's days. The exporter refreshes a post's metrics
  every day for 28 days after publication and then freezes them; the table
  holds ONE row per post, its latest snapshot (`metrics_updated_at`), so posts
  of the last 28 days carry still-growing counts. Some posts promote one of the
  world's campaigns (`campaign_id`). `comments` is the network's own count,
  which also counts comments deleted later, so it can exceed the comments the
  listening tool captured by a few.
- `interactions`: one row per comment, mention, direct message or public share
  the listening tool captured, with its sentiment. Authors are world persons
  (a stable handle each) or strangers. The brand's own replies are rows too
  (`is_reply_from_brand` true, `parent_interaction_id` set).

Negative spike, for alert tests: in the 7th week of the window (the Monday
on or before world.start + 42 days to the Sunday after, local dates; 2026-09-14 to
2026-09-20 in the default world) a late-delivery complaint wave doubles
direct messages, triples mentions and raises the negative share of customer
interactions to about 45%. Elsewhere about 10% of customer interactions are
negative, about 15% over the whole window (brand replies, never negative,
excluded).

Planted malformed rows, posts: empty `post_id` (missing_id), unreadable
`published_at` (unparseable_timestamp), `post_type` story (unknown_status),
impressions "12,5 mil" (invalid_value). Interactions: empty
`interaction_id` (missing_id, 2), unreadable `occurred_at`
(unparseable_timestamp), `interaction_type` like and `sentiment` mixed
(unknown_status), `sentiment_score` 1.7 (invalid_value).
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

from jornada_gen.exports import RawTable
from jornada_gen.world import BUSINESS_TZ, Person, World, ascii_slug, local_business_time

POST_COLUMNS = [
    "post_id",
    "network",
    "account_id",
    "published_at",
    "post_type",
    "campaign_id",
    "caption",
    "impressions",
    "reach",
    "reactions",
    "comments",
    "shares",
    "saves",
    "video_views",
    "metrics_updated_at",
]

INTERACTION_COLUMNS = [
    "interaction_id",
    "network",
    "post_id",
    "interaction_type",
    "author_handle",
    "occurred_at",
    "sentiment",
    "sentiment_score",
    "is_reply_from_brand",
    "parent_interaction_id",
]

# network -> (account id, brand handle, post types with weights, base impressions, engagement rate)
NETWORKS = {
    "instagram": (
        "17841452079033811",
        "jornadacafe",
        {"image": 30, "carousel": 30, "reel": 35, "video": 5},
        6000,
        0.045,
    ),
    "facebook": ("104573820159276", "jornadacafe", {"image": 45, "video": 20, "text": 20, "carousel": 15}, 3500, 0.02),
    "tiktok": ("7291845102938475521", "jornadacafe", {"video": 100}, 9000, 0.06),
    "linkedin": (
        "urn:li:organization:89123456",
        "jornada-cafe",
        {"text": 40, "image": 40, "video": 10, "carousel": 10},
        1500,
        0.03,
    ),
}
TYPE_REACH = {"reel": 2.5, "video": 1.6, "carousel": 1.3, "image": 1.0, "text": 0.6}
HAS_SAVES = {"instagram", "tiktok"}
METRICS_DAYS = 28

CAPTIONS = [
    "Bom dia com café especial ☕ Qual o seu método preferido?",
    "Novo blend da torrefação chegou! Notas de chocolate e caramelo. #cafeespecial",
    "Passo a passo: prensa francesa perfeita em 4 minutos.",
    "Frete grátis neste fim de semana em todo o site. Aproveite!",
    "Conheça quem cultiva o nosso café no Sul de Minas. #origem",
    "Kit degustação: 4 cafés, 4 regiões. Link na bio.",
    "Dica de moagem para cada método de preparo.",
    "Estamos contratando baristas para a nossa loja de São Paulo.",
]
PROMO_CAPTIONS = [
    "Promoção relâmpago: cafés com 20% off até domingo! #jornadacafe",
    "Lançamento: kit degustação com condição especial. Corre!",
]

BASE_NEGATIVE = 0.10
SPIKE_NEGATIVE = 0.45
SPIKE_WEEK = 6  # 0-based week of the window: the 7th week


def iso(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Ids:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def unique(self, make) -> str:
        while True:
            candidate = make(self.rng)
            if candidate not in self.used:
                self.used.add(candidate)
                return candidate

    def post_id(self, network: str, account_id: str) -> str:
        """The network's own post id, as its API returns it."""
        if network == "instagram":
            return self.unique(lambda r: str(r.randrange(17_900_000_000_000_000, 18_100_000_000_000_000)))
        if network == "facebook":
            return self.unique(lambda r: f"{account_id}_{r.randrange(10**14, 10**15)}")
        if network == "tiktok":
            return self.unique(lambda r: str(r.randrange(7_400_000_000_000_000_000, 7_500_000_000_000_000_000)))
        return self.unique(
            lambda r: f"urn:li:share:{r.randrange(7_300_000_000_000_000_000, 7_400_000_000_000_000_000)}"
        )

    def interaction_id(self) -> str:
        return self.unique(lambda r: f"int_{r.getrandbits(64):016x}")


def _handles(world: World, rng: random.Random) -> dict[int, str]:
    """A stable social handle for the persons who follow the brand."""
    handles: dict[int, str] = {}
    for person in world.persons:
        if rng.random() > 0.35:
            continue
        first = ascii_slug(person.first_name)
        last = ascii_slug(person.last_name.split()[-1])
        style = rng.randrange(4)
        if style == 0:
            handle = f"{first}.{last}"
        elif style == 1:
            handle = f"{first}{last}{rng.randrange(10, 99)}"
        elif style == 2:
            handle = f"{first}_{last[:3]}"
        else:
            handle = f"{first.capitalize()}{last.capitalize()}"
        handles[person.key] = f"{handle}{person.key % 7 or ''}"
    return handles


def _stranger(rng: random.Random) -> str:
    words = ["cafe", "barista", "amo", "viagem", "foodie", "sp", "rio", "mae", "dev", "run", "cha", "doce"]
    return f"{rng.choice(words)}{rng.choice(words)}_{rng.randrange(100, 9999)}"


class SocialWriter:
    def __init__(self, world: World, rng: random.Random) -> None:
        self.world = world
        self.rng = rng
        self.ids = Ids(rng)
        self.handles = _handles(world, rng)
        self.followers: list[Person] = [p for p in world.persons if p.key in self.handles]
        monday = world.start - timedelta(days=world.start.weekday())
        self.spike_start = datetime.combine(monday + timedelta(days=7 * SPIKE_WEEK), datetime.min.time(), BUSINESS_TZ)
        self.spike_end = self.spike_start + timedelta(days=7)
        self.posts = RawTable(
            "social",
            "posts",
            POST_COLUMNS,
            "Brand posts on instagram, facebook, tiktok and linkedin with their latest metrics snapshot, "
            "one row per post, Jornada social export format.",
            redeliveries=0,
            overlap=8,
        )
        self.interactions = RawTable(
            "social",
            "interactions",
            INTERACTION_COLUMNS,
            "Comments, mentions, direct messages and shares captured by the social listening tool, "
            "one row per interaction, Jornada social export format.",
            redeliveries=30,
            overlap=30,
        )

    def in_spike(self, at: datetime) -> bool:
        return self.spike_start <= at < self.spike_end

    def author(self, network: str) -> str:
        rng = self.rng
        if rng.random() < 0.7:
            person = rng.choice(self.followers)
            handle = self.handles[person.key]
            if network == "linkedin":
                return f"{ascii_slug(person.first_name)}-{ascii_slug(person.last_name.split()[-1])}-{person.key:x}"
            return handle
        return _stranger(rng)

    def sentiment(self, at: datetime) -> tuple[str, str]:
        rng = self.rng
        negative = SPIKE_NEGATIVE if self.in_spike(at) else BASE_NEGATIVE
        roll = rng.random()
        if roll < negative:
            return "negative", f"{rng.uniform(-1.0, -0.3):.3f}"
        if roll < negative + 0.35:
            return "neutral", f"{rng.uniform(-0.25, 0.25):.3f}"
        return "positive", f"{rng.uniform(0.3, 1.0):.3f}"

    def interaction(
        self, network: str, post_id: str | None, kind: str, at: datetime, brand_replies: bool = True
    ) -> None:
        rng = self.rng
        sentiment, score = self.sentiment(at)
        interaction_id = self.ids.interaction_id()
        self.interactions.add(
            at,
            {
                "interaction_id": interaction_id,
                "network": network,
                "post_id": post_id,
                "interaction_type": kind,
                "author_handle": self.author(network),
                "occurred_at": iso(at),
                "sentiment": sentiment,
                "sentiment_score": score,
                "is_reply_from_brand": "false",
                "parent_interaction_id": None,
            },
        )
        if not brand_replies or kind == "share":
            return
        chance = {"negative": 0.65, "neutral": 0.3, "positive": 0.15}[sentiment]
        if kind == "direct_message":
            chance = 0.9
        if rng.random() > chance:
            return
        reply_at = at + timedelta(minutes=rng.expovariate(1 / 150))
        if reply_at >= self.world.end_at:
            return
        self.interactions.add(
            reply_at,
            {
                "interaction_id": self.ids.interaction_id(),
                "network": network,
                "post_id": post_id,
                "interaction_type": "direct_message" if kind == "direct_message" else "comment",
                "author_handle": NETWORKS[network][1],
                "occurred_at": iso(reply_at),
                "sentiment": "positive" if sentiment == "positive" else "neutral",
                "sentiment_score": f"{rng.uniform(0.3, 0.8) if sentiment == 'positive' else rng.uniform(0, 0.2):.3f}",
                "is_reply_from_brand": "true",
                "parent_interaction_id": interaction_id,
            },
        )

    def post(self, network: str, published_at: datetime) -> None:
        rng = self.rng
        world = self.world
        account_id, _, types, base, rate = NETWORKS[network]
        post_type = rng.choices(list(types), list(types.values()))[0]
        promos = [
            c
            for c in world.campaigns
            if c.send_at is not None
            and c.journey == "promo"
            and timedelta(days=-1) <= c.send_at - published_at <= timedelta(days=3)
        ]
        campaign = rng.choice(promos) if promos and rng.random() < 0.3 else None
        # The exporter runs daily at 06:00 UTC; a post's last snapshot is the run 28 days after
        # publication, or the last run before the world's end. Posts after that run are not exported yet.
        last_run = (world.end_at - timedelta(hours=6)).replace(hour=6, minute=0, second=0)
        frozen = (published_at + timedelta(days=METRICS_DAYS)).replace(hour=6, minute=0, second=0)
        metrics_at = min(frozen, last_run) + timedelta(seconds=rng.randrange(0, 1800))
        if metrics_at <= published_at:
            return
        post_id = self.ids.post_id(network, account_id)
        age_days = (metrics_at - published_at).total_seconds() / 86400
        maturity = 1 - math.exp(-age_days / 2.5)
        impressions = int(
            base * TYPE_REACH[post_type] * (1.3 if campaign else 1.0) * rng.lognormvariate(0, 0.45) * maturity
        )
        reach = int(impressions / rng.uniform(1.15, 1.6))
        engaged = impressions * rate * rng.uniform(0.7, 1.3)
        reactions = int(engaged * 0.85)
        shares = int(engaged * 0.05)
        saves = int(engaged * 0.04) if network in HAS_SAVES else None
        video_views = int(impressions * rng.uniform(0.4, 0.8)) if post_type in ("video", "reel") else None

        # Comments the listening tool captured: most in the first days.
        captured = 0
        for _ in range(int(engaged * 0.045)):
            at = published_at + timedelta(hours=min(rng.expovariate(1 / 20), 24 * 20))
            if at >= world.end_at:
                continue
            if at <= metrics_at:
                captured += 1
            self.interaction(network, post_id, "comment", at)
        # The listening tool sees about half of the public shares.
        for _ in range(shares // 2):
            at = published_at + timedelta(hours=min(rng.expovariate(1 / 12), 24 * 20))
            if at < world.end_at:
                self.interaction(network, post_id, "share", at)
        deleted = rng.randrange(1, 3) if rng.random() < 0.15 else 0
        caption = rng.choice(PROMO_CAPTIONS if campaign else CAPTIONS)
        self.posts.add(
            metrics_at,
            {
                "post_id": post_id,
                "network": network,
                "account_id": account_id,
                "published_at": iso(published_at),
                "post_type": post_type,
                "campaign_id": campaign.campaign_id if campaign else None,
                "caption": caption,
                "impressions": str(impressions),
                "reach": str(reach),
                "reactions": str(reactions),
                "comments": str(captured + deleted),
                "shares": str(shares),
                "saves": None if saves is None else str(saves),
                "video_views": None if video_views is None else str(video_views),
                "metrics_updated_at": iso(metrics_at),
            },
        )

    def outside_posts(self) -> None:
        """Mentions and direct messages that are not about one of our posts."""
        rng = self.rng
        world = self.world
        for offset in range(world.days):
            day = world.start + timedelta(days=offset)
            noon = local_business_time(rng, day, 12, 13)
            spike = self.in_spike(noon)
            for network, weight in (("instagram", 3.0), ("facebook", 1.2), ("tiktok", 1.0), ("linkedin", 0.3)):
                for kind, per_day in (("mention", 1.6), ("direct_message", 0.9)):
                    expected = per_day * weight * (3 if spike and kind == "mention" else 2 if spike else 1)
                    for _ in range(_poisson(rng, expected)):
                        at = local_business_time(rng, day, 7, 23)
                        self.interaction(network, None, kind, at)


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def render(world: World, rng: random.Random) -> list[RawTable]:
    writer = SocialWriter(world, rng)
    for network in NETWORKS:
        for week_start in range(0, world.days, 7):
            days = [d for d in range(week_start, min(week_start + 7, world.days))]
            for offset in sorted(rng.sample(days, min(len(days), rng.choice([2, 3, 3, 4])))):
                day = world.start + timedelta(days=offset)
                writer.post(network, local_business_time(rng, day, 9, 21))
    writer.outside_posts()
    posts, interactions = writer.posts, writer.interactions

    # Malformed rows, in known counts, that staging must quarantine.
    samples = rng.sample(posts.rows, 4)
    at, row = samples[0]
    posts.add_malformed(at, dict(row, post_id=None), "missing_id")
    at, row = samples[1]
    posts.add_malformed(
        at,
        dict(row, post_id=writer.ids.post_id(row["network"], row["account_id"]), published_at="ontem"),
        "unparseable_timestamp",
    )
    at, row = samples[2]
    posts.add_malformed(
        at,
        dict(row, post_id=writer.ids.post_id(row["network"], row["account_id"]), post_type="story"),
        "unknown_status",
    )
    at, row = samples[3]
    posts.add_malformed(
        at,
        dict(row, post_id=writer.ids.post_id(row["network"], row["account_id"]), impressions="12,5 mil"),
        "invalid_value",
    )
    samples = rng.sample(interactions.rows, 6)
    for at, row in samples[:2]:
        interactions.add_malformed(at, dict(row, interaction_id=""), "missing_id")
    at, row = samples[2]
    local = at.astimezone(BUSINESS_TZ)
    interactions.add_malformed(
        at,
        dict(row, interaction_id=writer.ids.interaction_id(), occurred_at=f"{local:%d/%m/%Y %H:%M}"),
        "unparseable_timestamp",
    )
    at, row = samples[3]
    interactions.add_malformed(
        at, dict(row, interaction_id=writer.ids.interaction_id(), interaction_type="like"), "unknown_status"
    )
    at, row = samples[4]
    interactions.add_malformed(
        at, dict(row, interaction_id=writer.ids.interaction_id(), sentiment="mixed"), "unknown_status"
    )
    at, row = samples[5]
    interactions.add_malformed(
        at, dict(row, interaction_id=writer.ids.interaction_id(), sentiment_score="1.7"), "invalid_value"
    )
    return [posts, interactions]
