"""Tests of the capture generator. Run either way:
    python3 -m unittest discover -s captures/tests
    python3 -m unittest discover -s captures/tests -t captures
The modules import the helper `_util` as a top-level module: put this directory on the path."""
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
