"""PubMed/MEDLINE XML reader: baseline and update files, and E-utilities `efetch` output.

All three share the `PubmedArticleSet/PubmedArticle` schema (NLM's pubmed DTD). Files are streamed
article by article (`xml_elements`), so a 30k-article baseline file is never held in memory, and
`.xml.gz` is read as is. Each article becomes one row::

    {"pmid", "title", "abstract",                      # abstract: sections joined by "\\n"
     "abstract_sections": [{"label", "category", "text"}],   # label/NlmCategory "" when absent
     "mesh": [{"descriptor", "ui", "major", "qualifiers": [{"name", "ui", "major"}]}],
     "major_topics": [descriptor, ...],                 # MeSH major topics (see below)
     "publication_types": [...], "keywords": [...], "chemicals": [...],
     "journal", "journal_abbrev", "year", "languages": [...], "_ref": "file#PMID"}

A MeSH heading is a major topic (PubMed's `[majr]`) when its descriptor is starred
(`MajorTopicYN="Y"`) or any of its qualifiers is. Text is taken with its inline markup (`<i>`,
`<sub>`, ...) flattened and whitespace collapsed; efetch output is pretty-printed, which puts a line
break and indentation before inline `<sub>`/`<sup>` elements, and that indentation is dropped so
that "β<sub>2</sub>" reads "β2". Book records (`PubmedBookArticle`) and deletion notices are not
articles and are not read. An article without a PMID is a `Bad` naming its position in the file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from .base import Bad, Item, ref_of
from .structured import xml_elements

__all__ = ["inline_text", "parse_article", "pubmed_articles"]

#: Inline elements that attach to the preceding word (chemical formulas, exponents).
_TIGHT = {"sub", "sup", "inf"}
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def inline_text(elem: ET.Element | None, skip: frozenset[str] | set[str] = frozenset()) -> str:
    """The text of an element with its inline children flattened and whitespace collapsed.

    Children whose tag is in `skip` (e.g. JATS figures and tables inside a paragraph) are left out,
    but the text that follows them is kept. `str.split` collapses exactly the characters that the
    regular expression `\\s` matches (both use Unicode's whitespace), at a fraction of the cost.
    """
    if elem is None:
        return ""
    if not len(elem):  # most elements hold plain text: nothing to walk
        return " ".join(elem.text.split()) if elem.text else ""
    parts: list[str] = []

    def walk(e: ET.Element) -> None:
        if e.text:
            parts.append(e.text)
        for child in e:
            tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
            if tag in skip:
                if child.tail:
                    parts.append(child.tail)
                continue
            if tag in _TIGHT and parts:
                last = parts[-1]
                trailing = last[len(last.rstrip()) :]
                if "\n" in trailing:  # pretty-printing indentation, not a real space
                    parts[-1] = last.rstrip()
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(elem)
    return " ".join("".join(parts).split())


def _under(elem: ET.Element, first: str, *tags: str) -> list[ET.Element]:
    """The elements at the child path `first/tags...` (what ElementPath's `A/B` selects, in order).

    A single tag is looked up by the C implementation of `findall`; a path with `/` would go through
    the pure-Python ElementPath module, which costs more than the rest of an article's parsing.
    """
    found = elem.findall(first)
    for tag in tags:
        found = [child for e in found for child in e.findall(tag)]
    return found


def _first(elem: ET.Element, *tags: str) -> ET.Element | None:
    """The first element at the child path `tags` (ElementPath's `find("A/B")`), or None."""
    found = _under(elem, *tags)
    return found[0] if found else None


def _year(article: ET.Element) -> str:
    pub = _first(article, "Journal", "JournalIssue", "PubDate")
    if pub is not None:
        y = (pub.findtext("Year") or "").strip()
        if y:
            return y
        m = _YEAR.search(pub.findtext("MedlineDate") or "")
        if m:
            return m.group(1)
    date = _first(article, "ArticleDate", "Year")
    return (date.text or "").strip() if date is not None else ""


def parse_article(elem: ET.Element) -> dict | None:
    """One `PubmedArticle` element as a row (without `_ref`); None when it has no PMID."""
    citation = elem.find("MedlineCitation")
    if citation is None:
        return None
    pmid = (citation.findtext("PMID") or "").strip()
    if not pmid:
        return None
    article = citation.find("Article")
    if article is None:
        article = ET.Element("Article")
    sections = []
    for node in _under(article, "Abstract", "AbstractText"):
        text = inline_text(node)
        if text:
            sections.append(
                {
                    "label": (node.get("Label") or "").strip(),
                    "category": (node.get("NlmCategory") or "").strip(),
                    "text": text,
                }
            )
    abstract = "\n".join(f"{s['label']}: {s['text']}" if s["label"] else s["text"] for s in sections)
    mesh = []
    for heading in _under(citation, "MeshHeadingList", "MeshHeading"):
        desc = heading.find("DescriptorName")
        if desc is None:
            continue
        qualifiers = [
            {"name": inline_text(q), "ui": q.get("UI", ""), "major": q.get("MajorTopicYN") == "Y"}
            for q in heading.findall("QualifierName")
        ]
        mesh.append(
            {
                "descriptor": inline_text(desc),
                "ui": desc.get("UI", ""),
                "major": desc.get("MajorTopicYN") == "Y",
                "qualifiers": qualifiers,
            }
        )
    major = [m["descriptor"] for m in mesh if m["major"] or any(q["major"] for q in m["qualifiers"])]
    journal = article.find("Journal")
    keywords = (inline_text(k) for k in _under(citation, "KeywordList", "Keyword"))
    return {
        "pmid": pmid,
        "title": inline_text(article.find("ArticleTitle")),
        "abstract": abstract,
        "abstract_sections": sections,
        "mesh": mesh,
        "major_topics": major,
        "publication_types": [inline_text(p) for p in _under(article, "PublicationTypeList", "PublicationType")],
        "keywords": [k for k in keywords if k],
        "chemicals": [inline_text(c) for c in _under(citation, "ChemicalList", "Chemical", "NameOfSubstance")],
        "journal": inline_text(journal.find("Title")) if journal is not None else "",
        "journal_abbrev": inline_text(journal.find("ISOAbbreviation")) if journal is not None else "",
        "year": _year(article),
        "languages": [(x.text or "").strip() for x in article.findall("Language") if (x.text or "").strip()],
    }


def pubmed_articles(path: Path | str) -> Iterator[Item]:
    """Stream the articles of a PubMed XML file (`.xml` or `.xml.gz`), one row or `Bad` each."""
    p = Path(path)
    ref = ref_of(p)
    for n, elem in enumerate(xml_elements(p, "PubmedArticle"), start=1):
        if isinstance(elem, Bad):
            yield elem
            continue
        try:
            row = parse_article(elem)
        except (AttributeError, TypeError, ValueError) as exc:  # a structurally odd record
            yield Bad(f"{ref}#article{n}", f"unreadable article ({type(exc).__name__})")
            continue
        if row is None:
            yield Bad(f"{ref}#article{n}", "article has no PMID")
            continue
        row["_ref"] = f"{ref}#{row['pmid']}"
        yield row
