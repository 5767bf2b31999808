"""Every municipality keeps the words its observations were recorded in (ADR 0018).

Until now the situation picture's categories, milieus and signs were code, the same for every municipality.
This gives each existing municipality those entries as rows (the ones it already has stay as they are), so
every stored observation still names an entry. The lists are frozen here: later template changes must not
change what this migration did.
"""

from django.db import migrations, models

CATEGORIES = [('propaganda', 'Propaganda, klistermärken, klotter eller symboler', 'Propaganda, stickers, graffiti or symbols'),
 ('recruitment', 'Försök att värva', 'Recruitment attempts'),
 ('threats', 'Hot eller trakasserier', 'Threats or harassment'),
 ('violence', 'Våld eller skadegörelse', 'Violence or vandalism'),
 ('online', 'Aktivitet på nätet', 'Online activity'),
 ('relatives', 'Oro från anhöriga', 'Concern raised by relatives'),
 ('gatherings', 'Sammankomster eller demonstrationer', 'Gatherings or demonstrations'),
 ('travel', 'Resor till konfliktområden', 'Travel to conflict zones'),
 ('other', 'Annat', 'Other')]

MILIEUS = [('autonomous',
  'Autonoma miljön',
  'Autonomous milieu',
  'Grupper på den yttersta vänsterkanten som är beredda att använda våld mot dem de ser som fiender.'),
 ('white-power',
  'Vit makt-miljön',
  'White power milieu',
  'Grupper som med våld vill skapa ett samhälle byggt på idéer om etnisk eller rasmässig renhet.'),
 ('violent-islamist',
  'Våldsbejakande islamism',
  'Violent Islamism',
  'Grupper och personer som med hänvisning till en tolkning av islam stöder eller utövar våld.'),
 ('unclear',
  'Oklar ideologi',
  'Unclear ideology',
  'Det som syns går inte att knyta till någon ideologi, eller det är för tidigt att säga.')]

SIGNS = [('early-insecurity', 'early', 'Otrygghet i området', 'Insecurity in the area'),
 ('early-low-trust', 'early', 'Lågt förtroende för samhället', 'Low trust in society'),
 ('early-graffiti-stickers', 'early', 'Klotter eller klistermärken', 'Graffiti or stickers'),
 ('early-groups-discriminated',
  'early',
  'Grupper som utsätts för diskriminering',
  'Groups being discriminated against'),
 ('early-outside-community',
  'early',
  'Människor som står utanför gemenskapen',
  'People standing outside the community'),
 ('heightened-symbols', 'heightened', 'Symboler i området', 'Symbols in the area'),
 ('heightened-hatred', 'heightened', 'Uttryck för hat', 'Expressions of hatred'),
 ('heightened-gangs-gatherings', 'heightened', 'Gäng eller grupperingar', 'Gangs or gatherings'),
 ('heightened-bullying-harassment', 'heightened', 'Mobbning eller trakasserier', 'Bullying or harassment'),
 ('heightened-vandalism', 'heightened', 'Skadegörelse', 'Vandalism'),
 ('clear-extremist-media', 'clear', 'Extremistisk media eller propaganda', 'Extremist media or propaganda'),
 ('clear-violent-incidents', 'clear', 'Våldsincidenter', 'Violent incidents'),
 ('clear-symbols-worn', 'clear', 'Symboler som bärs', 'Symbols worn'),
 ('clear-related-crime', 'clear', 'Brott med koppling till extremism', 'Crime related to extremism')]


def forward(apps, schema_editor):
    Municipality = apps.get_model("core", "Municipality")
    Category = apps.get_model("knowledge", "Category")
    Milieu = apps.get_model("knowledge", "Milieu")
    Sign = apps.get_model("knowledge", "Sign")
    for municipality in Municipality.objects.all():
        for order, (key, name, name_en) in enumerate(CATEGORIES):
            Category.objects.get_or_create(municipality=municipality, key=key, defaults={
                "name": name, "name_en": name_en, "order": order, "national_key": key})
        start = Milieu.objects.filter(municipality=municipality).count()
        for order, (key, name, name_en, description) in enumerate(MILIEUS, start=start):
            Milieu.objects.get_or_create(municipality=municipality, key=key, defaults={
                "name": name, "name_en": name_en, "description": description, "order": order})
        start = Sign.objects.filter(municipality=municipality).count()
        for order, (key, tier, text, text_en) in enumerate(SIGNS, start=start):
            Sign.objects.get_or_create(municipality=municipality, key=key, defaults={
                "tier": tier, "text": text, "text_en": text_en, "order": order})
    # The rows that were there already count nationally as the template entry of the same key.
    Milieu.objects.filter(key__in=[m[0] for m in MILIEUS], national_key="").update(national_key=models.F("key"))
    Sign.objects.filter(key__in=[s[0] for s in SIGNS], national_key="").update(national_key=models.F("key"))


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0003_vocabulary")]
    # Backwards there is nothing to undo: the rows go with the schema migration before this one.
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
