"""The built-in personas (no school): offered to every school; "Straight talk" is the default
when neither the person nor the school chose one (``assistant.personas.BUILTIN_DEFAULT``)."""

from django.db import migrations

BUILTIN = [
    # name, tone, verbosity, reading level, emoji
    ("Straight talk", "neutral", "normal", "standard", False),
    ("Cheerleader", "encouraging", "normal", "simple", True),
    ("Coach", "coach", "brief", "standard", False),
    ("Formal report", "formal", "detailed", "advanced", False),
]


def forwards(apps, schema_editor):
    Persona = apps.get_model("assistant", "Persona")
    for name, tone, verbosity, reading_level, emoji in BUILTIN:
        Persona.objects.update_or_create(
            school=None,
            name=name,
            defaults={"tone": tone, "verbosity": verbosity, "reading_level": reading_level, "emoji": emoji},
        )


def backwards(apps, schema_editor):
    Persona = apps.get_model("assistant", "Persona")
    Persona.objects.filter(school=None, name__in=[row[0] for row in BUILTIN]).delete()


class Migration(migrations.Migration):
    dependencies = [("assistant", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
