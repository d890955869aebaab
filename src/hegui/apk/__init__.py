"""Reading APKs: safe zip access (archive), manifest, network security config and signing facts.

androguard logs through loguru, very noisily on odd inputs; it is silenced here, once, for every
module of this package (hegui reports problems as typed errors and analysis notes instead).
"""

from loguru import logger

logger.disable("androguard")
