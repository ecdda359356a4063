"""Load newsds's doccano files with doccano's own import code, and export them back
with doccano's own export code.

Usage: doccano_check.py OUT_DIR FILE.jsonl...   (run with the python of a venv that has
doccano installed; .ci/labelstudio makes one)

Each FILE goes into a new doccano project of the type its lines need (text
classification when "label" holds category strings, sequence labelling when it holds
[start, end, label] triples) through doccano's import pipeline (the code its upload
API runs), and any parse error fails the check. Every project is then exported with
doccano's JSONL exporter into OUT_DIR/NAME (doccano writes one file per project member,
USER.jsonl), which newsds must import back unchanged. Prints one JSON summary line per
file.
"""

import json
import os
import sys
import tempfile


def main():
    out_dir, files = sys.argv[1], sys.argv[2:]
    work = tempfile.mkdtemp(prefix="doccano-check-")
    import backend

    sys.path.insert(0, os.path.dirname(backend.__file__))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")
    os.environ["DATABASE_URL"] = "sqlite:///" + os.path.join(work, "db.sqlite3")
    os.environ.setdefault("MEDIA_ROOT", os.path.join(work, "media"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("create_roles", verbosity=0)
    from django.contrib.auth import get_user_model

    from data_export.models import ExportedExample
    from data_export.pipeline.dataset import Dataset
    from data_export.pipeline.factories import create_comment, create_formatter, create_labels, create_writer
    from data_export.pipeline.services import ExportApplicationService
    from data_import.datasets import load_dataset
    from data_import.pipeline.catalog import create_file_format
    from data_import.pipeline.readers import FileName
    from projects.models import ProjectType, SequenceLabelingProject, TextClassificationProject

    user = get_user_model().objects.create_superuser("newsds", "newsds@example.org", "newsds-pass")
    failed = False
    for path in files:
        with open(path, encoding="utf-8") as f:
            lines = [json.loads(l) for l in f if l.strip()]
        is_doc = any(isinstance(x, str) for l in lines for x in l.get("label", []))
        name = os.path.basename(path)
        if is_doc:
            project = TextClassificationProject.objects.create(
                name=name, project_type=ProjectType.DOCUMENT_CLASSIFICATION, created_by=user)
        else:
            project = SequenceLabelingProject.objects.create(
                name=name, project_type=ProjectType.SEQUENCE_LABELING, created_by=user, allow_overlapping=True)
        project.add_admin()
        fmt = create_file_format("JSONL")
        dataset = load_dataset(project.project_type, fmt, [FileName(full_path=path, generated_name=name, upload_name=name)], project)
        dataset.save(user, batch_size=500)
        errors = [e.dict() for e in dataset.errors]
        examples = ExportedExample.objects.filter(project=project)
        labels = sum(len(l.get("label", [])) for l in lines)
        if is_doc:
            stored = sum(e.categories.count() for e in examples)
        else:
            stored = sum(e.spans.count() for e in examples)
        target = os.path.join(out_dir, name[: -len(".jsonl")] if name.endswith(".jsonl") else name)
        os.makedirs(target, exist_ok=True)
        writer = create_writer("JSONL")
        ds = Dataset(examples, create_labels(project, examples, user), create_comment(examples, user), True)
        ExportApplicationService(ds, create_formatter(project, "JSONL"), writer).export(
            os.path.join(target, user.username + "." + writer.extension))
        ok = not errors and examples.count() == len(lines) and stored == labels
        failed = failed or not ok
        print(json.dumps({"file": name, "type": project.project_type, "examples": examples.count(), "lines": len(lines),
                          "labels": labels, "stored": stored, "errors": errors, "ok": ok}, ensure_ascii=False))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
