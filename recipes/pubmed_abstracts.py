"""PubMed abstracts: MeSH indexing, title generation, publication types and abstract structure from MEDLINE citations (NLM).

Reads PubMed XML (`PubmedArticleSet/PubmedArticle`): the annual baseline and daily update files
(`pubmed<yy>n<nnnn>.xml.gz`) or E-utilities efetch output (`*.xml`), anywhere under the raw folder,
with `medins.readers.pubmed` (streamed, gzip transparent), one file per read task, so that the
files of a baseline are read in parallel. Tasks:

- `mesh_major`: the MeSH major topics of a citation (headings whose descriptor or a qualifier is
  starred) from its title and abstract; answers join descriptor names with "; " (names hold commas);
- `title`: the article title from its abstract (titles of non-English articles, which MEDLINE gives
  as a bracketed English translation, are skipped);
- `publication_type`: the publication types that describe the study (funding types "Research
  Support, ..." are left out, and the generic "Journal Article" is kept only when nothing else is);
- `section_label`: the role (BACKGROUND, OBJECTIVE, METHODS, RESULTS, CONCLUSIONS) of one section of
  a structured abstract, from NLM's `NlmCategory`, or from the section label when that is absent.

Citations without an abstract are skipped (`no_abstract`), as are ones not yet indexed (`no_mesh`).
There is no split: citations are hash-split 9:1 by PMID.
"""

from __future__ import annotations

import re

from medins import Example, Recipe, Skip
from medins.readers.pubmed import pubmed_articles

#: Structured-abstract labels mapped to NLM categories when `NlmCategory` is missing.
LABEL_CATEGORY = {
    "BACKGROUND": "BACKGROUND",
    "INTRODUCTION": "BACKGROUND",
    "CONTEXT": "BACKGROUND",
    "OBJECTIVE": "OBJECTIVE",
    "OBJECTIVES": "OBJECTIVE",
    "AIM": "OBJECTIVE",
    "AIMS": "OBJECTIVE",
    "PURPOSE": "OBJECTIVE",
    "METHODS": "METHODS",
    "METHOD": "METHODS",
    "DESIGN": "METHODS",
    "MATERIALS AND METHODS": "METHODS",
    "METHODS AND MATERIALS": "METHODS",
    "SETTING": "METHODS",
    "RESULTS": "RESULTS",
    "FINDINGS": "RESULTS",
    "CONCLUSIONS": "CONCLUSIONS",
    "CONCLUSION": "CONCLUSIONS",
    "INTERPRETATION": "CONCLUSIONS",
}
CATEGORIES = ("BACKGROUND", "OBJECTIVE", "METHODS", "RESULTS", "CONCLUSIONS")
_TRANSLATED = re.compile(r"^\[.*\]\.?$")

recipe = Recipe(
    name="pubmed_abstracts",
    domain="Academic Papers",
    license="NLM terms and conditions (free use of MEDLINE/PubMed data; abstracts may be copyrighted)",
    access="open",
    homepage="https://www.nlm.nih.gov/databases/download/pubmed_medline.html",
    files=["**/*.xml*"],
    aliases=("pubmed_xml",),
    language="en",
    citation="MEDLINE/PubMed citation records courtesy of the U.S. National Library of Medicine.",
    parts=("**/*.xml", "**/*.xml.gz"),
)


@recipe.reader
def read(raw, part=None):
    for name in [part] if part else recipe.part_files(raw):
        yield from pubmed_articles(raw / name)


def _title_abstract(row) -> str:
    return f"Title: {row['title']}\nAbstract: {row['abstract']}"


def _mesh_major(row):
    if not row["abstract"]:
        return Skip("no_abstract")
    if not row["mesh"]:
        return Skip("no_mesh")
    if not row["major_topics"]:
        return Skip("no_major_topic")
    return Example(_title_abstract(row), "; ".join(row["major_topics"]))


def _title(row):
    if not row["abstract"]:
        return Skip("no_abstract")
    if not row["title"] or _TRANSLATED.match(row["title"]):
        return Skip("translated_title")
    return Example(row["abstract"], row["title"])


def study_types(types: list[str]) -> list[str]:
    kept = [t for t in types if not t.startswith("Research Support")]
    specific = [t for t in kept if t != "Journal Article"]
    return specific or kept


def _publication_type(row):
    if not row["abstract"]:
        return Skip("no_abstract")
    types = study_types(row["publication_types"])
    if not types:
        return Skip("no_publication_type")
    return Example(_title_abstract(row), "; ".join(types))


def section_category(section: dict) -> str | None:
    category = section["category"].upper()
    if category in CATEGORIES:
        return category
    return LABEL_CATEGORY.get(section["label"].upper().rstrip(":"))


def _section_label(row):
    sections = row["abstract_sections"]
    if len(sections) < 2:
        return Skip("unstructured_abstract")
    out = []
    for i, section in enumerate(sections, start=1):
        category = section_category(section)
        if category:
            out.append(Example(section["text"], category, key=f"sec{i}"))
    return out or Skip("no_known_section")


recipe.task(
    "mesh_major",
    category="Text Classification",
    make=_mesh_major,
    meds_ins="task107",
    description="MeSH major topics of a citation from its title and abstract.",
)
recipe.task(
    "title",
    category="Text Summarization",
    make=_title,
    description="Write the title of an article from its abstract.",
)
recipe.task(
    "publication_type",
    category="Text Classification",
    make=_publication_type,
    description="Publication types (study design) of a citation.",
)
recipe.task(
    "section_label",
    category="Text Classification",
    make=_section_label,
    description="Role of one section of a structured abstract.",
)
