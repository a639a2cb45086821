#!/bin/sh
# Renders the hand-written SVG icons to PNG (this Qt build has no SVG plugin by default).
# Needs ImageMagick; run from this folder after editing an SVG and commit the PNGs.
set -e
for f in *.svg; do
    b=${f%.svg}
    if [ "$b" = chalkroom ]; then s=256; else s=48; fi
    convert -background none -density 400 "$f" -resize ${s}x${s} "$b.png"
done
