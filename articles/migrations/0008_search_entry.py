# Moves the search vectors out of the article row into a narrow table of their
# own (articles.models.SearchEntry), so counting every match stays cheap.

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

# Only the whole vector may leave the row: with a 128-byte target PostgreSQL
# moves it to TOAST even when it would compress to under 2 kB, and MAIN keeps
# the small title and head vectors, which tier queries read, in the row.
STORAGE_SQL = """
ALTER TABLE articles_searchentry SET (toast_tuple_target = 128);
ALTER TABLE articles_searchentry ALTER COLUMN title SET STORAGE MAIN;
ALTER TABLE articles_searchentry ALTER COLUMN head SET STORAGE MAIN;
"""

COPY_SQL = """
INSERT INTO articles_searchentry (article_id, status, published_at, title, head, vector)
SELECT id, status, published_at, ts_filter(search_head, '{a}'), search_head, search_vector
FROM articles_article
WHERE search_vector IS NOT NULL AND search_head IS NOT NULL;
"""

COPY_BACK_SQL = """
UPDATE articles_article AS a SET search_head = e.head, search_vector = e.vector
FROM articles_searchentry AS e
WHERE e.article_id = a.id;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0007_listing_index_and_content_generation'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('article', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_entry', serialize=False, to='articles.article')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], max_length=10)),
                ('published_at', models.DateTimeField(null=True)),
                ('title', django.contrib.postgres.search.SearchVectorField()),
                ('head', django.contrib.postgres.search.SearchVectorField()),
                ('vector', django.contrib.postgres.search.SearchVectorField()),
            ],
            options={
                'verbose_name': 'search entry',
                'verbose_name_plural': 'search entries',
            },
        ),
        migrations.RunSQL(STORAGE_SQL, migrations.RunSQL.noop),
        # Indexes after the copy: building them once is faster than updating them per row.
        migrations.RunSQL(COPY_SQL, COPY_BACK_SQL),
        migrations.AddIndex(
            model_name='searchentry',
            index=models.Index(models.F('status'), models.OrderBy(models.F('published_at'), descending=True), models.OrderBy(models.F('article'), descending=True), name='search_entry_date_idx'),
        ),
        migrations.AddIndex(
            model_name='searchentry',
            index=django.contrib.postgres.indexes.GinIndex(fields=['vector'], name='search_entry_vector_idx'),
        ),
        migrations.AddIndex(
            model_name='searchentry',
            index=django.contrib.postgres.indexes.GinIndex(fields=['head'], name='search_entry_head_idx'),
        ),
        migrations.AddIndex(
            model_name='searchentry',
            index=django.contrib.postgres.indexes.GinIndex(fields=['title'], name='search_entry_title_idx'),
        ),
        migrations.RemoveIndex(
            model_name='article',
            name='article_search_idx',
        ),
        migrations.RemoveIndex(
            model_name='article',
            name='article_search_head_idx',
        ),
        migrations.RemoveField(
            model_name='article',
            name='search_head',
        ),
        migrations.RemoveField(
            model_name='article',
            name='search_vector',
        ),
    ]
