// Logging category of the widgets layer ("chalk.ui").
#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcUi)
