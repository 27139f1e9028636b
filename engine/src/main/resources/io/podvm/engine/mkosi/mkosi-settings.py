# Prints the version and the settings table of the mkosi whose launcher script is argv[1], as JSON, one
# object per setting. Run with the interpreter of that launcher, so that it imports the very mkosi that will build.
# mkosi <= 24 marks a setting "universal"; 25 and newer give it a scope. Both are reduced to the two
# facts podvm needs: is the setting refused in a subimage, and does it reach subimages from the top level.
import json
import runpy
import sys

try:
    runpy.run_path(sys.argv[1], run_name="podvm_settings_probe")
except (Exception, SystemExit):
    pass  # a wrapper script, not mkosi's own launcher: the interpreter's own mkosi is read; podvm checks its version
import mkosi.config as config  # noqa: E402  (importable only once the launcher has set the path up)

version = getattr(config, "__version__", None)
if version is None:
    try:
        from mkosi.sandbox import __version__ as version  # 25 and newer
    except ImportError:
        version = "unknown"
print("mkosi-version " + version)

REFUSED_SCOPES = {"universal", "multiversal", "main", "tools", "initrd"}
INHERITED_SCOPES = {"universal", "multiversal", "inherit"}

table = []
for s in config.SETTINGS:
    scope = getattr(s, "scope", None)
    if scope is None:
        universal = bool(getattr(s, "universal", False))
        collection = isinstance(s.parse(None, None), (list, set, dict))
        refused, inherited = universal and not collection, universal
    else:
        refused, inherited = scope.name in REFUSED_SCOPES, scope.name in INHERITED_SCOPES
    paths = list(getattr(s, "paths", ()) or ()) + list(getattr(s, "recursive_paths", ()) or ())
    paths += ["mkosi." + p for p in list(getattr(s, "path_suffixes", ()) or ())
              + list(getattr(s, "recursive_path_suffixes", ()) or ())]
    table.append({"name": s.name, "section": s.section, "refusedInSubimage": bool(refused),
                  "inheritedBySubimage": bool(inherited), "implicitPaths": paths})
print(json.dumps(table))
