"""The field reference in docs/fields.md is generated from `tshark -G fields`
with the built plugin, so it never drifts: this test regenerates it and
compares. After an intended change to the fields, regenerate with
PHONEHOME_UPDATE_GOLDEN=1 and review the diff."""
import os
import unittest

from tshark_env import SOURCE_DIR, TsharkTestCase

FIELDS_DOC = os.path.join(SOURCE_DIR, "docs", "fields.md")
PROTOCOLS = [("phonehome", "IoT Phone-Home Analysis: roles, findings and their details"),
             ("kalay", "ThroughTek Kalay (TUTK IOTC)"),
             ("pppp", "CS2 Network PPPP")]


def render(glossary):
    """Markdown tables of the fields of our protocols, in registration order."""
    fields = [line.split("\t") for line in glossary.splitlines() if line.startswith("F\t")]
    out = ["# Field reference", "",
           "Generated from `tshark -G fields` with the plugin loaded (tests/integration/test_docs.py",
           "checks that it matches). Expert infos are fields of type FT_NONE: filter on them by name.", ""]
    for proto, title in PROTOCOLS:
        out += ["## `%s`: %s" % (proto, title), "", "| Field | Type | Name | Description |", "|---|---|---|---|"]
        for f in fields:
            name, abbrev, ftype, parent = f[1], f[2], f[3], f[4]
            blurb = f[7] if len(f) > 7 else ""
            if parent != proto:
                continue
            out.append("| `%s` | %s | %s | %s |" % (abbrev, ftype, name.replace("|", "\\|"), blurb.replace("|", "\\|")))
        out.append("")
    return "\n".join(out)


class FieldReference(TsharkTestCase):

    def test_fields_md_matches_the_plugin(self):
        text = render(self.tshark.run("-G", "fields"))
        if os.environ.get("PHONEHOME_UPDATE_GOLDEN") == "1":
            with open(FIELDS_DOC, "w", encoding="utf-8") as f:
                f.write(text)
        with open(FIELDS_DOC, encoding="utf-8") as f:
            self.maxDiff = None
            self.assertEqual(text, f.read(), "docs/fields.md is out of date")
        for needed in ("phonehome.sink", "phonehome.heartbeat.period", "kalay.uid", "pppp.drw.index"):
            self.assertIn("`%s`" % needed, text)


if __name__ == "__main__":
    unittest.main()
