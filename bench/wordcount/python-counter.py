#!/usr/bin/env python3
"""The Python baseline of the word-count benchmark: collections.Counter over split lines.

Usage: python-counter.py CORPUS OUT

Writes one "word<TAB>count" line per distinct word (the corpus holds only [a-z], spaces and
newlines, so str.split tokenises like the scan tokenizer and `tr -cs A-Za-z '\\n'`).
"""
import sys
from collections import Counter

counts = Counter()
with open(sys.argv[1], encoding="latin-1") as f:
    for line in f:
        counts.update(line.split())
with open(sys.argv[2], "w", encoding="latin-1") as out:
    out.write("".join(f"{w}\t{n}\n" for w, n in counts.items()))
