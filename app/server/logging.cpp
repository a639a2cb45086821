#include "logging.h"

Q_LOGGING_CATEGORY(lcServer, "chalk.server")
