#!/bin/sh
# nostrex-local/debian: packages never start services while an image is built.
exit 101
