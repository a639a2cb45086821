#include "theme_manager.h"

#include "themed_icon.h"
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
    QColor pane, accent, header;
    if (parseIconColors(qss, &pane, &accent, &header))
        setIconColors(pane, accent, header);
    else
        qCWarning(lcUi) << "theme" << index + 1 << "names no icon colours";
    qApp->setStyleSheet(qss);
    g_current = index;
    return true;
}

int current()
{
    return g_current;
}

bool isDark(int index)
{
    return styleSheet(index).contains(QLatin1String("\n/* mode: dark;"));
}

int firstStartIndex(bool systemPrefersDark)
{
    if (systemPrefersDark) {
        for (int i = 0; i < kCount; ++i) {
            if (isDark(i))
                return i;
        }
    }
    return 0;
}

} // namespace chalk::ui::themes
