"""The one place that knows where exograph's files are."""
from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"  # the HTML view's page, script and style table


def default_ontology_dir() -> Path:
    """The ontology folder shipped in the wheel, or the checkout's ``ontology/``."""
    bundled = PACKAGE_DIR / "ontology"
    if bundled.is_dir():
        return bundled
    return PACKAGE_DIR.parent / "ontology"


class OntologyLayout:
    """Where each input lives inside one ontology folder (the default or a user's copy)."""

    def __init__(self, root: Path | str | None = None):
        self.root = Path(root).resolve() if root is not None else default_ontology_dir()

    @property
    def schema(self) -> Path:
        return self.root / "schema.ttl"

    @property
    def shapes(self) -> Path:
        return self.root / "shapes.ttl"

    @property
    def prefixes(self) -> Path:
        return self.root / "prefixes.tsv"

    @property
    def curated(self) -> Path:
        return self.root / "curated"

    @property
    def publications(self) -> Path:
        return self.curated / "publications.tsv"

    @property
    def entity_files(self) -> list[Path]:
        return sorted((self.curated / "entities").glob("*.tsv"))

    @property
    def claim_files(self) -> list[Path]:
        return sorted((self.curated / "claims").glob("*.tsv"))

    @property
    def claim_qualifiers(self) -> Path:
        """Optional: qualifiers of claims, one row per claim."""
        return self.curated / "claim_qualifiers.tsv"

    @property
    def quantities(self) -> Path:
        """Optional: numbers with units that claims' sources state, one row per number."""
        return self.curated / "quantities.tsv"

    @property
    def queries(self) -> Path:
        return self.root / "queries"

    def curated_tables(self) -> list[Path]:
        """Every curated TSV, in a stable order."""
        optional = [path for path in (self.claim_qualifiers, self.quantities) if path.is_file()]
        return [self.publications, *self.entity_files, *self.claim_files, *optional]
