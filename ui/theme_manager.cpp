#include "theme_manager.h"

#include "ui_logging.h"

#include <QApplication>
#include <QFile>
#include <QStringList>

namespace chalk::ui::themes {

namespace {
int g_current = -1;
}

QString name(int index)
{
    static const QStringList names = {
        QApplication::translate("themes", "Silver"), QApplication::translate("themes", "Dusk"),
        QApplication::translate("themes", "Sage"),   QApplication::translate("themes", "Rose"),
        QApplication::translate("themes", "Ocean"),  QApplication::translate("themes", "Sunset"),
        QApplication::translate("themes", "Candy"),  QApplication::translate("themes", "Grape")};
    return names.value(index);
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
