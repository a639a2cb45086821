// The list of rooms. Colours the delegate needs beyond the palette come from the theme
// (qproperty-badgeColor etc. in themes/*.qss).
#pragma once

#include <QColor>
#include <QListView>

namespace chalk::ui {

class RoomListView : public QListView {
    Q_OBJECT
    Q_PROPERTY(QColor badgeColor MEMBER m_badge NOTIFY colorsChanged)
    Q_PROPERTY(QColor badgeTextColor MEMBER m_badgeText NOTIFY colorsChanged)
    Q_PROPERTY(QColor metaColor MEMBER m_meta NOTIFY colorsChanged)
public:
    explicit RoomListView(QWidget *parent = nullptr);

    QColor badgeColor() const { return m_badge; }
    QColor badgeTextColor() const { return m_badgeText; }
    QColor metaColor() const { return m_meta; }

signals:
    void colorsChanged();

private:
    QColor m_badge{0xc0, 0x39, 0x2b};
    QColor m_badgeText{Qt::white};
    QColor m_meta{0x55, 0x5b, 0x62};
};

} // namespace chalk::ui
