import secrets

from django.db import migrations, models

import articles.models.delivery


def create_the_row(apps, schema_editor):
    # Every database has its token row, with an epoch of its own, from the start:
    # readers never need to write one (docs/performance.md).
    ContentGeneration = apps.get_model("articles", "ContentGeneration")
    db = schema_editor.connection.alias
    if not ContentGeneration.objects.using(db).filter(pk=1).exists():
        ContentGeneration.objects.using(db).create(
            pk=1, epoch=secrets.randbits(62), value=1, comments=1, links=1, names=1
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0016_coauthors")]

    operations = [
        migrations.AddField(
            model_name="contentgeneration",
            name="epoch",
            field=models.BigIntegerField(default=articles.models.delivery.random_epoch),
        ),
        migrations.AddField(
            model_name="contentgeneration",
            name="links",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="contentgeneration",
            name="names",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="contentgeneration",
            name="comments",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="contentgeneration",
            name="edits",
            field=models.JSONField(default=dict),
        ),
        migrations.RunPython(create_the_row, migrations.RunPython.noop),
    ]
