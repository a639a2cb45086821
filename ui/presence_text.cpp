// presence_text.h: presence as words and as a dot.
#include "presence_text.h"

#include <QCoreApplication>
#include <QLocale>
#include <QPainter>
#include <QPixmap>

namespace chalk::ui::presence_text {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("PresenceText", text);
}
} // namespace

QString describe(bool online, const QDateTime &lastSeen, const QDateTime &now)
{
    if (online)
        return tr("Online");
    if (!lastSeen.isValid())
        return tr("Offline");
    const QDateTime local = lastSeen.toLocalTime();
    const QDate day = local.date();
    const QDate today = now.toLocalTime().date();
    const QLocale locale;
    if (day == today)
        return tr("Last seen %1").arg(locale.toString(local.time(), QLocale::ShortFormat));
    if (day == today.addDays(-1))
        return tr("Last seen yesterday");
    const QString date = day.year() == today.year() ? locale.toString(day, QStringLiteral("d MMM"))
                                                    : locale.toString(day, QLocale::ShortFormat);
    return tr("Last seen %1").arg(date);
}

QColor onlineColor()
{
    return QColor(0x2e, 0xa0, 0x4f);
}

QIcon dot(bool online, int size, const QColor &outline)
{
    QIcon icon;
    for (const qreal dpr : {1.0, 2.0}) { // sharp on high-DPI screens too
        QPixmap pm(QSize(size, size) * dpr);
        pm.setDevicePixelRatio(dpr);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        p.setRenderHint(QPainter::Antialiasing);
        const QRectF r(1.5, 1.5, size - 3.0, size - 3.0);
        if (online) {
            p.setPen(QPen(outline, 1.5));
            p.setBrush(onlineColor());
        } else {
            p.setPen(QPen(QColor(0x8a, 0x8a, 0x8a), 2.0));
            p.setBrush(Qt::NoBrush);
        }
        p.drawEllipse(r);
        p.end();
        icon.addPixmap(pm);
    }
    return icon;
}

} // namespace chalk::ui::presence_text
