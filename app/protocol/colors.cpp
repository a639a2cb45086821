#include "colors.h"

#include <QRandomGenerator>

namespace chalk::protocol {

bool isValidColor(QStringView color)
{
    const auto n = color.size();
    if ((n != 4 && n != 7 && n != 9) || color.front() != u'#')
        return false;
    for (qsizetype i = 1; i < n; ++i) {
        const char16_t c = color[i].unicode();
        const bool hex =
            (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
        if (!hex)
            return false;
    }
    return true;
}

const QStringList &roomPalette()
{
    static const QStringList palette{
        QStringLiteral("#ffffff"), QStringLiteral("#5da247"), QStringLiteral("#fbeb50"),
        QStringLiteral("#2b347e"), QStringLiteral("#cf2e24"), QStringLiteral("#d95d98"),
        QStringLiteral("#5e297e"), QStringLiteral("#888888"), QStringLiteral("#e79d7e")};
    return palette;
}

QString randomRoomColor()
{
    const auto &palette = roomPalette();
    return palette.at(QRandomGenerator::global()->bounded(int(palette.size())));
}

const QStringList &drawingPalette()
{
    static const QStringList palette{
        QStringLiteral("#000000"), QStringLiteral("#8d0e00"), QStringLiteral("#e02d25"),
        QStringLiteral("#2A2A2A"), QStringLiteral("#ad7100"), QStringLiteral("#fc9a00"),
        QStringLiteral("#555555"), QStringLiteral("#d7d700"), QStringLiteral("#ffff01"),
        QStringLiteral("#AAAAAA"), QStringLiteral("#3fff9c"), QStringLiteral("#03ad54"),
        QStringLiteral("#D5D5D5"), QStringLiteral("#4fadff"), QStringLiteral("#0167ca"),
        QStringLiteral("#ffffff"), QStringLiteral("#fd93ff"), QStringLiteral("#970199")};
    return palette;
}

QLatin1String defaultInk()
{
    return QLatin1String("#000000cc");
}

} // namespace chalk::protocol
