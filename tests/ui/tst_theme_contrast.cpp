// The themes as written (the stylesheets in the app's resources, not the generator's intent):
// every text 4.5:1 against what it is drawn on, icons and focus rings 3:1 (WCAG 2), at least
// three dark themes, a first start that follows a dark desktop, and icons drawn in the colour
// each theme names for where they sit.
#include "client/chat_client.h"
#include "client/settings_store.h"
#include "ui/app_settings.h"
#include "ui/main_window.h"
#include "ui/system_appearance.h"
#include "ui/theme_manager.h"
#include "ui/themed_icon.h"
#include "ui_test_support.h"

#include <QApplication>
#include <QImage>
#include <QPixmap>
#include <QRegularExpression>
#include <QTest>
#include <cmath>

using namespace chalk;
using namespace chalk::ui;

namespace {

double luminance(const QColor &c)
{
    auto channel = [](double v) {
        return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

// The declarations of the first rule whose selector list is exactly `selector`.
QString rule(const QString &qss, const QString &selector)
{
    const QRegularExpression re(
        QStringLiteral("(?:^|\\n)%1 \\{([^}]*)\\}").arg(QRegularExpression::escape(selector)));
    return re.match(qss).captured(1);
}

// A plain colour property of a rule ("color", "background", "qproperty-ownTextColor", ...);
// an invalid colour when it is not a plain #rrggbb.
QColor colorOf(const QString &declarations, const QString &name)
{
    const QRegularExpression re(QStringLiteral("(?:^|[;\\s])%1:\\s*(#[0-9a-fA-F]{6})\\s*;")
                                    .arg(QRegularExpression::escape(name)));
    return QColor(re.match(declarations).captured(1));
}

// The two stops of a rule's qlineargradient background.
std::pair<QColor, QColor> gradientStops(const QString &declarations)
{
    const QRegularExpression re(
        QStringLiteral("stop:0 (#[0-9a-fA-F]{6}), stop:1 (#[0-9a-fA-F]{6})"));
    const auto m = re.match(declarations);
    return {QColor(m.captured(1)), QColor(m.captured(2))};
}

} // namespace

class TstThemeContrast : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // No desktop portal here: the first-start test decides by the palette it sets.
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/chalkroom-test-bus");
        test::prepareUiTestEnvironment();
    }

    void textAndIconsContrast_data()
    {
        QTest::addColumn<int>("index");
        for (int i = 0; i < themes::kCount; ++i)
            QTest::newRow(qPrintable(themes::name(i))) << i;
    }

    void textAndIconsContrast()
    {
        QFETCH(int, index);
        const QString qss = themes::styleSheet(index);
        QVERIFY(!qss.isEmpty());

        // Every rule that sets a plain text colour and a plain background: 4.5:1.
        const QRegularExpression rules(QStringLiteral("\\n([^\\n{}/][^{}]*)\\{([^}]*)\\}"));
        int pairs = 0;
        for (auto it = rules.globalMatch(qss); it.hasNext();) {
            const auto m = it.next();
            const QColor fg = colorOf(m.captured(2), QStringLiteral("color"));
            const QColor bg = colorOf(m.captured(2), QStringLiteral("background"));
            if (!fg.isValid() || !bg.isValid())
                continue;
            ++pairs;
            QVERIFY2(contrast(fg, bg) >= 4.5,
                     qPrintable(m.captured(1).trimmed() + QStringLiteral(": ") + fg.name() +
                                QStringLiteral(" on ") + bg.name()));
        }
        QVERIFY2(pairs >= 8, qPrintable(QString::number(pairs))); // the parse found the rules

        const QString list = rule(qss, QStringLiteral("#MessageList"));
        const auto listColor = [&](const char *name) {
            return colorOf(list, QString::fromLatin1(name));
        };
        const QColor other = listColor("qproperty-otherBubbleColor");
        const QColor own = listColor("qproperty-ownBubbleColor");
        QVERIFY(other.isValid() && own.isValid());
        QVERIFY(contrast(listColor("qproperty-ownTextColor"), own) >= 4.5);
        QVERIFY(contrast(listColor("qproperty-otherTextColor"), other) >= 4.5);
        QVERIFY(contrast(listColor("qproperty-metaColor"), other) >= 4.5);
        QVERIFY(contrast(listColor("qproperty-accentColor"), other) >= 4.5); // sender names
        const QString rooms = rule(qss, QStringLiteral("#RoomList"));
        QVERIFY(contrast(colorOf(rooms, QStringLiteral("qproperty-badgeTextColor")),
                         colorOf(rooms, QStringLiteral("qproperty-badgeColor"))) >= 4.5);

        // Focus rings 3:1 against the input they surround.
        const QString inputs =
            rule(qss, QStringLiteral(
                          "QListView, QTableView, QTreeView, QPlainTextEdit, QTextEdit, QLineEdit, "
                          "QSpinBox, QComboBox"));
        const QColor base = colorOf(inputs, QStringLiteral("background"));
        QVERIFY(base.isValid());
        const QString focus = rule(
            qss, QStringLiteral(
                     "QLineEdit:focus, QPlainTextEdit:focus, QListView:focus, QTableView:focus"));
        const QRegularExpression border(QStringLiteral("border: 1px solid (#[0-9a-fA-F]{6})"));
        const QColor ring(border.match(focus).captured(1));
        QVERIFY2(ring.isValid() && contrast(ring, base) >= 3.0, qPrintable(ring.name()));

        // Icons 3:1 where they sit: the pane's inputs and panes, push buttons, the header.
        QColor pane, accent, header;
        QVERIFY(themes::parseIconColors(qss, &pane, &accent, &header));
        const QColor surface =
            colorOf(rule(qss, QStringLiteral("QTabWidget::pane")), QStringLiteral("background"));
        const QColor button =
            colorOf(rule(qss, QStringLiteral("QPushButton")), QStringLiteral("background"));
        const QColor toolButton =
            colorOf(rule(qss, QStringLiteral("QToolButton")), QStringLiteral("background"));
        const auto [headerStart, headerEnd] =
            gradientStops(rule(qss, QStringLiteral("#HeaderBar")));
        QVERIFY(surface.isValid() && button.isValid() && toolButton.isValid());
        QVERIFY(headerStart.isValid() && headerEnd.isValid());
        for (const QColor &bg : {base, surface, toolButton})
            QVERIFY2(contrast(pane, bg) >= 3.0,
                     qPrintable(pane.name() + QStringLiteral(" on ") + bg.name()));
        QVERIFY(contrast(accent, button) >= 3.0);
        QVERIFY(contrast(header, headerStart) >= 3.0);
        QVERIFY(contrast(header, headerEnd) >= 3.0);
    }

    void threeDarkThemesAtLeast()
    {
        int dark = 0;
        for (int i = 0; i < themes::kCount; ++i) {
            const QString qss = themes::styleSheet(i);
            const QColor base =
                colorOf(rule(qss, QStringLiteral("QMenu")), QStringLiteral("background"));
            // A dark theme is dark where one reads: its lists and menus.
            QCOMPARE(themes::isDark(i), luminance(base) < 0.2);
            dark += themes::isDark(i);
        }
        QVERIFY2(dark >= 3, qPrintable(QString::number(dark)));
        QVERIFY(themes::isDark(themes::firstStartIndex(true)));
        QVERIFY(!themes::isDark(themes::firstStartIndex(false)));
    }

    void iconsTakeTheThemesColours()
    {
        for (int i = 0; i < themes::kCount; ++i) {
            QVERIFY(themes::apply(i));
            QColor pane, accent, header;
            QVERIFY(themes::parseIconColors(themes::styleSheet(i), &pane, &accent, &header));
            const struct {
                themes::IconPlace place;
                QColor expected;
            } places[] = {{themes::IconPlace::Pane, pane},
                          {themes::IconPlace::Accent, accent},
                          {themes::IconPlace::Header, header}};
            for (const auto &p : places) {
                const QImage image = themes::icon(QStringLiteral(":/icons/send.png"), p.place)
                                         .pixmap(QSize(24, 24))
                                         .toImage();
                // The icon's most opaque pixel is drawn in the theme's colour for that place.
                QRgb ink = 0;
                for (int y = 0; y < image.height(); ++y)
                    for (int x = 0; x < image.width(); ++x)
                        if (qAlpha(image.pixel(x, y)) > qAlpha(ink))
                            ink = image.pixel(x, y);
                QVERIFY(qAlpha(ink) > 200);
                QCOMPARE(QColor(ink).rgb() & 0xffffff, p.expected.rgb() & 0xffffff);
            }
        }
        // The coloured dots of room-color keep their colours in every theme.
        const QImage dots =
            themes::icon(QStringLiteral(":/icons/room-color.png"), themes::IconPlace::Pane)
                .pixmap(QSize(48, 48))
                .toImage();
        bool red = false;
        for (int y = 0; y < dots.height(); ++y)
            for (int x = 0; x < dots.width(); ++x) {
                const QColor c = dots.pixelColor(x, y);
                red |= c.alpha() > 200 && c.red() > 180 && c.green() < 110 && c.blue() < 110;
            }
        QVERIFY(red);
    }

    void firstStartFollowsADarkDesktop()
    {
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x24));
        dark.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
        QVERIFY(paletteIsDark(dark));
        QVERIFY(!paletteIsDark(QPalette(QColor(0xf0, 0xf0, 0xf0))));
        const QPalette before = QGuiApplication::palette();
        QApplication::setPalette(dark);

        // A first start: no theme saved yet.
        auto settings = std::make_shared<client::MemorySettingsStore>();
        client::ChatClient client(std::make_unique<client::MemorySettingsStore>());
        {
            MainWindow window(&client, settings);
            QVERIFY(themes::isDark(themes::current()));
            QCOMPARE(settings::theme.get(*settings), themes::current());
        }
        // Later starts keep the user's choice, whatever the desktop says.
        settings::theme.set(*settings, 0);
        {
            MainWindow window(&client, settings);
            QCOMPARE(themes::current(), 0);
        }
        QApplication::setPalette(before);
    }
};

QTEST_MAIN(TstThemeContrast)
#include "tst_theme_contrast.moc"
