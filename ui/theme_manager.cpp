#include "theme_manager.h"

#include "ui_logging.h"

#include <QApplication>
#include <QCoreApplication>
#include <QFile>

namespace chalk::ui::themes {

namespace {
int g_current = -1;
}

QString name(int index)
{
    if (index < 0 || index >= kCount)
        return {};
    return QCoreApplication::translate("themes", generated::kThemeNames[index]);
}

int clampIndex(int index)
{
    return std::clamp(index, 0, kCount - 1);
}

QString styleSheet(int index)
{
    if (index < 0 || index >= kCount)
        return {};
    QFile file(QStringLiteral(":/themes/theme-%1.qss").arg(index + 1));
    if (!file.open(QIODevice::ReadOnly)) {
        qCWarning(lcUi) << "theme resource missing:" << file.fileName();
        return {};
    }
    return QString::fromUtf8(file.readAll());
}

bool apply(int index)
{
    index = clampIndex(index);
    if (index == g_current)
        return true;
    const QString qss = styleSheet(index);
    if (qss.isEmpty())
        return false;
    qApp->setStyleSheet(qss);
    g_current = index;
    return true;
}

int current()
{
    return g_current;
}

} // namespace chalk::ui::themes
