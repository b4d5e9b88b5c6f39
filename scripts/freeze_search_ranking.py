"""Write the frozen top-3 ranking of the food search (tests/fixtures/search/top3.tsv).

The search index is tuned for speed (issue #15) without changing what it finds: this file
records the top three foods of a few hundred queries as the search ranked them before such a
change, and `tests/integration/test_search_ranking_frozen.py` compares. Regenerate it only when
a ranking change is meant, and say so in the commit:

    .venv/bin/python scripts/freeze_search_ranking.py

The queries are every search-case query as typed, and misspelled queries made with the
benchmark's generator (bench/bench_fooddb.py) under a seed of their own.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a plain file: the repository root holds the benchmark's query generator.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.bench_fooddb import case_queries, distinct_queries

from rugwijzer.fooddb.database import load_food_database
from rugwijzer.fooddb.search import FoodSearchIndex

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "tests" / "fixtures" / "search" / "top3.tsv"
SEED = 15
GENERATED = 300


def main() -> int:
    database = load_food_database()
    index = FoodSearchIndex(database.foods)  # the index alone, without any re-ranking above it
    queries = [(query, lang) for query, lang in case_queries()]
    queries += [
        (query, lang)
        for query, lang, _ in distinct_queries(database, GENERATED, SEED)
        if (query, lang) not in set(queries)
    ]
    lines = [
        "# query\tlang\tids of the top 3 foods, best first (written by "
        "scripts/freeze_search_ranking.py)"
    ]
    for query, lang in queries:
        ids = [hit.food.id for hit in index.search(query, lang=lang, limit=3)]
        lines.append("\t".join([query, lang, " ".join(ids)]))
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(queries)} queries written to {OUTPUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
