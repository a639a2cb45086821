#include "themed_icon.h"

#include <QHash>
#include <QIconEngine>
#include <QImage>
#include <QPainter>
#include <QPixmap>
#include <QRegularExpression>

namespace chalk::ui::themes {

namespace {

// Silver's, until a theme is applied.
QColor g_colors[3] = {QColor(0x1b, 0x1f, 0x24), Qt::white, Qt::white};

// The ink of an icon (grey: its channels within this of each other) takes the colour; the
// coloured parts stay as drawn.
constexpr int kGreyTolerance = 40;

QImage tinted(const QImage &source, const QColor &color)
{
    QImage out = source.convertToFormat(QImage::Format_ARGB32);
    for (int y = 0; y < out.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(out.scanLine(y));
        for (int x = 0; x < out.width(); ++x) {
            const QRgb p = line[x];
            const int hi = std::max({qRed(p), qGreen(p), qBlue(p)});
            const int lo = std::min({qRed(p), qGreen(p), qBlue(p)});
            if (qAlpha(p) && hi - lo <= kGreyTolerance)
                line[x] = qRgba(color.red(), color.green(), color.blue(), qAlpha(p));
        }
    }
    return out;
}

class ThemedIconEngine final : public QIconEngine {
public:
    ThemedIconEngine(QString resource, IconPlace place)
        : m_resource(std::move(resource))
        , m_place(place)
    {}

    QIconEngine *clone() const override { return new ThemedIconEngine(m_resource, m_place); }
    QString key() const override { return QStringLiteral("chalk-themed"); }

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override
    {
        painter->drawPixmap(rect, pixmap(rect.size(), mode, state));
    }

    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State) override
    {
        if (m_source.isNull())
            m_source = QImage(m_resource);
        QColor color = iconColor(m_place);
        if (mode == QIcon::Disabled)
            color.setAlphaF(0.45);
        const QString cacheKey = QStringLiteral("%1x%2 %3")
                                     .arg(size.width())
                                     .arg(size.height())
                                     .arg(color.name(QColor::HexArgb));
        auto it = m_cache.constFind(cacheKey);
        if (it != m_cache.constEnd())
            return *it;
        const QImage scaled = m_source.scaled(size, Qt::KeepAspectRatio, Qt::SmoothTransformation);
        if (m_cache.size() > 16)
            m_cache.clear(); // a few sizes and themes in use at once
        return *m_cache.insert(cacheKey, QPixmap::fromImage(tinted(scaled, color)));
    }

    QSize actualSize(const QSize &size, QIcon::Mode, QIcon::State) override
    {
        if (m_source.isNull())
            m_source = QImage(m_resource);
        return m_source.size().scaled(size, Qt::KeepAspectRatio).boundedTo(size);
    }

private:
    QString m_resource;
    IconPlace m_place;
    QImage m_source;
    QHash<QString, QPixmap> m_cache;
};

} // namespace

QIcon icon(const QString &resource, IconPlace place)
{
    return QIcon(new ThemedIconEngine(resource, place));
}

QColor iconColor(IconPlace place)
{
    return g_colors[int(place)];
}

bool parseIconColors(const QString &styleSheet, QColor *pane, QColor *accent, QColor *header)
{
    static const QRegularExpression re(
        QStringLiteral(
            R"(^/\* mode: \w+; icons: pane (#[0-9a-f]{6}), accent (#[0-9a-f]{6}), header (#[0-9a-f]{6}) \*/$)"),
        QRegularExpression::MultilineOption);
    const QRegularExpressionMatch m = re.match(styleSheet);
    if (!m.hasMatch())
        return false;
    *pane = QColor(m.captured(1));
    *accent = QColor(m.captured(2));
    *header = QColor(m.captured(3));
    return true;
}

void setIconColors(const QColor &pane, const QColor &accent, const QColor &header)
{
    g_colors[int(IconPlace::Pane)] = pane;
    g_colors[int(IconPlace::Accent)] = accent;
    g_colors[int(IconPlace::Header)] = header;
}

} // namespace chalk::ui::themes
