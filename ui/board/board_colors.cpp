#include "board_colors.h"

#include "protocol/colors.h"

namespace chalk::ui {

namespace {
int hexDigit(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= u'0' && u <= u'9')
        return u - u'0';
    if (u >= u'a' && u <= u'f')
        return u - u'a' + 10;
    return u - u'A' + 10; // validated before
}
int hexByte(QStringView s, qsizetype at)
{
    return hexDigit(s[at]) * 16 + hexDigit(s[at + 1]);
}
} // namespace

QColor colorFromHex(QStringView text)
{
    if (!protocol::isValidColor(text))
        return {};
    if (text.size() == 4) {
        const int r = hexDigit(text[1]), g = hexDigit(text[2]), b = hexDigit(text[3]);
        return QColor(r * 17, g * 17, b * 17);
    }
    QColor c(hexByte(text, 1), hexByte(text, 3), hexByte(text, 5));
    if (text.size() == 9)
        c.setAlpha(hexByte(text, 7));
    return c;
}

QString hexFromColor(const QColor &color)
{
    QString s = QStringLiteral("#%1%2%3")
                    .arg(color.red(), 2, 16, QLatin1Char('0'))
                    .arg(color.green(), 2, 16, QLatin1Char('0'))
                    .arg(color.blue(), 2, 16, QLatin1Char('0'));
    if (color.alpha() != 255)
        s += QStringLiteral("%1").arg(color.alpha(), 2, 16, QLatin1Char('0'));
    return s.toLower();
}

} // namespace chalk::ui
