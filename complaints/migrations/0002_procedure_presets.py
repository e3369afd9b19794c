"""The shipped procedures used to be installed here. They belong to schemes now (migration 0005 installs the
schemes and their procedures, and moves the versions a database already had into them), so on a new database
this step has nothing to do."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
