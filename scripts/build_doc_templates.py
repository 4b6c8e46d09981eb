"""Write the shipped default Word templates of the official documents (文书模板).

Each document's owner builds its default in code (``build_default_template`` beside
the document), so the layout is reviewed like code; this writes the .docx files the
site ships and that 设置 › 文书模板 offers for download. Run after changing a builder:

    .venv/bin/python scripts/build_doc_templates.py
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The builders use python-docx only: no database, no app registry.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongjian_site.settings.dev")

from plugins.cobuilding import export  # noqa: E402
from plugins.compilations import covers  # noqa: E402
from plugins.evaluation import letters  # noqa: E402

for module in (export, letters, covers):
    path = Path(module.DEFAULT_TEMPLATE)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(module.build_default_template())
    print(path)
