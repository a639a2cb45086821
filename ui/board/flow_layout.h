// A layout that places its items left to right and wraps to a new row when the width runs
// out (after Qt's "Flow Layout" example). The Drawing tab's tools use it so that no tool hides
// behind an overflow button in a narrow window (issue 12). Not for items that must stretch.
#pragma once

#include <QLayout>
#include <QList>

namespace chalk::ui {

class FlowLayout : public QLayout {
public:
    explicit FlowLayout(QWidget *parent = nullptr, int hSpacing = 4, int vSpacing = 4);
    ~FlowLayout() override;

    void addItem(QLayoutItem *item) override;
    int count() const override;
    QLayoutItem *itemAt(int index) const override;
    QLayoutItem *takeAt(int index) override;
    Qt::Orientations expandingDirections() const override;
    bool hasHeightForWidth() const override;
    int heightForWidth(int width) const override;
    QSize minimumSize() const override;
    QSize sizeHint() const override;
    void setGeometry(const QRect &rect) override;

    // Starts a new row after the items added so far (e.g. tools, then colours).
    void addBreak();

private:
    int doLayout(const QRect &rect, bool testOnly) const;

    QList<QLayoutItem *> m_items;
    QList<int> m_breaks; // item indices that begin a new row
    int m_hSpacing;
    int m_vSpacing;
};

} // namespace chalk::ui
