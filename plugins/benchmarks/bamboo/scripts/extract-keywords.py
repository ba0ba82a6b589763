#!/usr/bin/env python3
"""Write data/keywords.json: the pandas/torchdata/numpy keyword maps of BAMBOO's
private_eval/execution.py (constants the scorer needs), from a BAMBOO checkout.

    /usr/bin/python3 scripts/extract-keywords.py <BAMBOO checkout>
"""
import json, os, sys, types
for m in ["ipdb", "autopep8", "docformatter"]:
    sys.modules[m] = types.ModuleType(m)
sys.path.insert(0, sys.argv[1])
from private_eval import execution as ex  # noqa: E402
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "keywords.json")
json.dump({"pandas": ex.pandas_keywords, "torchdata": ex.torchdata_keywords, "numpy": ex.numpy_keywords}, open(out, "w"), indent=1)
