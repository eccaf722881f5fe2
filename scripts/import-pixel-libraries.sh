#!/usr/bin/env bash
# Re-imports the published burned-in region libraries into config/pixels/ (see config/pixels/README.md).
#   scripts/import-pixel-libraries.sh [LIBRARY_DIR]     default: ../shared/reference/pixel-libraries
# PixelLibraryTest re-imports the same way and fails when a committed file differs from a fresh import.
set -euo pipefail
cd "$(dirname "$0")/.."
LIB="${1:-../shared/reference/pixel-libraries}"
./run.sh pixels import "$LIB/deid.dicom.smi" --format deid --library "SMI dicompixelanon 9ed26b1, Apache-2.0" \
  --id-prefix smi --out config/pixels/95-library-smi.yaml
./run.sh pixels import "$LIB/ctp-DicomPixelAnonymizer.script" --format ctp --library "RSNA CTP 361e90f, RSNA Public License" \
  --id-prefix ctp --out config/pixels/96-library-ctp.yaml
./run.sh pixels import "$LIB/deid.dicom" --format deid --library "pydicom/deid 8d26fca, MIT" \
  --id-prefix deid --out config/pixels/97-library-deid.yaml
