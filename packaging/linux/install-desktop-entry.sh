#!/bin/sh
# Add Workbench to this user's application menu: a .desktop entry whose Exec is the
# workbench executable in this folder, and the icons in the hicolor theme.
# Run it from the built folder (dist/workbench); run it again after moving the folder.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
mkdir -p "$data/applications"
sed "s|^Exec=workbench|Exec=\"$here/workbench\"|" "$here/share/applications/workbench.desktop" \
  > "$data/applications/workbench.desktop"
for dir in "$here"/share/icons/hicolor/*/apps; do
  size=$(basename "$(dirname "$dir")")
  mkdir -p "$data/icons/hicolor/$size/apps"
  cp "$dir"/workbench.* "$data/icons/hicolor/$size/apps/"
done
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
echo "Workbench is in the application menu ($data/applications/workbench.desktop)"
