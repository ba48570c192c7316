#!/usr/bin/env python3
"""The pandas baseline of the join benchmark: what a user would write.

Usage: pandas_join.py ORDERS.csv CUSTOMERS.csv OUT.tsv

read_csv with its default type inference, an inner merge on key, the rows written tab-separated
without header or index (key, order_id, amount, name, segment: the columns gleam's join emits).
"""
import sys

import pandas as pd

orders = pd.read_csv(sys.argv[1])
customers = pd.read_csv(sys.argv[2])
joined = orders.merge(customers, on="key", how="inner")
joined.to_csv(sys.argv[3], sep="\t", header=False, index=False)
