"""Demo monitoring: two made-up local feeds with invented news, keyword lists per milieu. No network.

The items are read through the real parser and scoring (`services.source_fetch` with the feed given as
text). Idempotent: feeds are found by address, items by their id, and keyword lists a coordinator has
already written are left alone.
"""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime
from html import escape

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from varna.core.models import Municipality
from varna.monitoring import services
from varna.monitoring.models import FeedItem, FeedSource, ItemTag, KeywordList

KEYWORDS = {
    "white-power": ["vit makt", "nazist", "nazister", "nazistisk", "nazistiska", "hakkors",
                    "nordiska motståndsrörelsen", "rasistisk propaganda"],
    "autonomous": ["autonom", "autonoma", "vänsterautonom", "vänsterautonoma", "vänsterextrem", "vänsterextremism"],
    "violent-islamist": ["våldsbejakande islamism", "jihadist", "jihadism", "islamistisk", "islamistiska"],
    "unclear": ["hatbrott", "våldsbejakande extremism", "radikalisering"],
}

# (feed, days ago, title, summary): invented news, no real event and no person named.
_NEWS = [
    ("local", 2, "Nazistiska klistermärken uppsatta vid pendeltågsstationen",
     "<p>Resenärer hittade klistermärken med <b>vit makt</b>-budskap. Kommunen tog bort dem samma dag.</p>"),
    ("local", 3, "Nya simhallen öppnar i september", "<p>Bygget går enligt plan och blir klart i augusti.</p>"),
    ("police", 6, "Hakkors klottrat på en skolgård – polisen har fått in en anmälan",
     "<p>Skolan sanerade klottret under morgonen och har informerat vårdnadshavarna.</p>"),
    ("police", 9, "Skadegörelse mot en bönelokal utreds som hatbrott",
     "<p>Fönster krossades under natten. Polisen söker vittnen.</p>"),
    ("local", 12, "Föreläsning om källkritik för gymnasieelever", "<p>Biblioteket bjuder in till en kväll om nyheter "
     "och desinformation på nätet.</p>"),
    ("local", 17, "Ny rapport: digital rekrytering till våldsbejakande islamism riktas mot allt yngre",
     "<p>Forskare beskriver hur propaganda sprids i slutna grupper i sociala medier.</p>"),
    ("police", 22, "Vänsterautonoma aktivister misstänks för sabotage mot byggmaskiner",
     "<p>Maskiner vid en byggarbetsplats sattes ur funktion. Ingen person skadades.</p>"),
    ("local", 26, "Trafiken leds om under sommarens vägarbete", "<p>Bussarna får tillfälliga hållplatser.</p>"),
    ("local", 33, "Flygblad från nazistisk organisation delades ut i brevlådor",
     "<p>Flera boende har hört av sig till kommunen. Flygbladen har lämnats till polisen.</p>"),
    ("local", 40, "Fritidsgårdarna söker sommarledare", "<p>Ansök senast den sista april.</p>"),
    ("police", 47, "Länets brottsförebyggande råd samlas om radikalisering bland unga",
     "<p>Kommuner, polis och skola ska dela lägesbilder oftare.</p>"),
]

_FEEDS = {
    "local": ("Lokaltidningen (demo)", "https://lokaltidningen.example/sollentuna/rss"),
    "police": ("Polisens händelser i länet (demo)", "https://polisen.example/stockholms-lan/rss"),
}


def _rss(feed: str, now: dt.datetime) -> bytes:
    items = []
    for index, (key, days, title, summary) in enumerate(_NEWS):
        if key != feed:
            continue
        published = now - dt.timedelta(days=days, hours=index)
        items.append(f"<item><guid>demo-{feed}-{index}</guid><title>{escape(title, quote=False)}</title>"
                     f"<link>https://{feed}.example/nyheter/{index}</link>"
                     f"<description>{escape(summary, quote=False)}</description>"
                     f"<pubDate>{format_datetime(published)}</pubDate></item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{feed}</title>'
            + "".join(items) + "</channel></rss>").encode()


@transaction.atomic
def load(municipality: Municipality, *, now: dt.datetime | None = None) -> str:
    now = (now or timezone.now()).replace(microsecond=0)
    for milieu, words in KEYWORDS.items():
        KeywordList.objects.get_or_create(municipality=municipality, milieu=milieu,
                                          defaults={"keywords": "\n".join(words)})
    created = 0
    for feed, (name, url) in _FEEDS.items():
        source, _new = FeedSource.objects.get_or_create(municipality=municipality, url=url, defaults={"name": name})
        added = services.source_fetch(source=source, content=_rss(feed, now))
        if added:
            # As if fetched within the hour of publication, so that "since the last meeting" means something.
            FeedItem.objects.filter(source=source, published_at__isnull=False).update(
                fetched_at=F("published_at") + dt.timedelta(minutes=40))
        created += added
    if created:
        # Show the working group's marks: tags on the graffiti, the regional meeting set aside.
        graffiti = FeedItem.objects.filter(source__municipality=municipality, title__startswith="Hakkors").first()
        if graffiti is not None:
            ItemTag.objects.get_or_create(item=graffiti, name="klotter")
            ItemTag.objects.get_or_create(item=graffiti, name="skola")
        FeedItem.objects.filter(source__municipality=municipality, title__startswith="Länets").update(
            dismissed_at=now)
    return f"{created} monitoring items added"
