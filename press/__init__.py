"""press: print-layout PDF publishing for Chinese periodicals."""

import os
import warnings
from pathlib import Path

from press import cffi_cache

__version__ = "0.1.0"

cffi_cache.install()  # WeasyPrint's C declarations load precompiled (see press.cffi_cache)

# fontconfig reads press's own configuration, never the machine's or the user's (see
# press.layout.font_configuration); it names no font folders, which WeasyPrint warns about
# when it is imported: the fonts come from fonts/ through @font-face.
os.environ["FONTCONFIG_FILE"] = str(Path(__file__).with_name("fonts.conf"))
warnings.filterwarnings("ignore", "No fonts configured in FontConfig")
