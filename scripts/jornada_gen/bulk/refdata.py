"""Reference data of the bulk world as SQL literals, taken from the demo generator's own lists.

Names, area codes, products, contact reasons, help articles and the tools'
constants come from `jornada_gen.names` and the renderers in
`jornada_gen.sources`, so both generators tell the same story in the same
vocabulary.
"""

from __future__ import annotations

import unicodedata

from jornada_gen import names
from jornada_gen.bulk.sqlkit import lst
from jornada_gen.sources import ga4
from jornada_gen.world import ascii_slug


def unaccented(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


FIRST_NAMES = lst(names.FIRST_NAMES)
FIRST_SLUGS = lst(ascii_slug(name) for name in names.FIRST_NAMES)
LAST_NAMES = lst(names.LAST_NAMES)
LAST_SLUGS = lst(ascii_slug(name) for name in names.LAST_NAMES)
N_FIRST = len(names.FIRST_NAMES)
N_LAST = len(names.LAST_NAMES)

AREAS = lst(area for area, _, _ in names.AREA_CODES)
CITIES = lst(city for _, city, _ in names.AREA_CODES)
STATES = lst(state for _, _, state in names.AREA_CODES)
GA4_REGIONS = lst(ga4.REGIONS[state] for _, _, state in names.AREA_CODES)
GA4_CITIES = lst(unaccented(city) for _, city, _ in names.AREA_CODES)
N_AREAS = len(names.AREA_CODES)

DOMAINS = lst(names.EMAIL_DOMAINS)

# Products: index 1.. in SQL lists.
SKUS = lst(p[0] for p in names.PRODUCTS)
TITLES = lst(p[1] for p in names.PRODUCTS)
PRICE_CENTS = lst(round(float(p[3]) * 100) for p in names.PRODUCTS)
MAIN_PRODUCTS = lst(i + 1 for i, p in enumerate(names.PRODUCTS) if not p[4])  # 1-based indexes
EXTRA_PRODUCTS = lst(i + 1 for i, p in enumerate(names.PRODUCTS) if p[4])
GROUND = lst(i + 1 for i, p in enumerate(names.PRODUCTS) if p[0] in ("CAF-001", "CAF-002"))

REASONS = [reason for reason, _ in names.CONTACT_REASONS]
REASON_WEIGHTS = [(reason, round(weight * 100)) for reason, weight in names.CONTACT_REASONS]

ARTICLE_IDS = lst(a for a, _ in names.BOT_ARTICLES)
ARTICLE_TITLES = lst(t for _, t in names.BOT_ARTICLES)

PAGES = lst(
    ["/", "/cafes", "/cafes/especial-250g", "/equipamentos", "/kits", "/assinatura", "/carrinho", "/blog/metodos"]
)
SITE = "https://jornadacafe.com.br"


def agent_names(count: int) -> list[str]:
    """The demo's agents first, then distinct first-name and surname pairs for larger teams."""
    agents = list(names.AGENT_NAMES)
    pairs = ((first, last) for last in names.LAST_NAMES for first in names.FIRST_NAMES)
    while len(agents) < count:
        first, last = next(pairs)
        if f"{first} {last}" not in agents:
            agents.append(f"{first} {last}")
    return agents[:count]
