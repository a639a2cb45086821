#include "ui_logging.h"

Q_LOGGING_CATEGORY(lcUi, "chalk.ui")
