// The Drawing tab: tool rows (pen/eraser, widths, undo, redo, clear, export, zoom; the
// original's 18 colours and a custom one) above the board view; the rows wrap in a narrow
// tab, and a banner says when the board is offline. Talks only to the BoardModel; whoever
// links the model to the server (chalk::board::ChatBoardLink) carries out undo and clear.
#pragma once

#include "board/board_model.h"

#include <QPointer>
#include <QWidget>

class QAction;
class QActionGroup;
class QComboBox;
class QLabel;
class QToolButton;

namespace chalk::ui {

class BoardScene;
class BoardView;

class BoardWidget : public QWidget {
    Q_OBJECT
public:
    explicit BoardWidget(board::BoardModel *model, QWidget *parent = nullptr);

    board::BoardModel *model() const { return m_model; }
    BoardScene *scene() const { return m_scene; }
    BoardView *view() const { return m_view; }

    QString tool() const;
    QString inkColor() const;
    double strokeWidth() const;
    QString offlineText() const; // the offline banner's text; empty while online
    // Every tool's action (pen, eraser, undo, redo, clear, export, fit, the colours); with the
    // width box and the "Custom…" button that is every control of the tool rows.
    QList<QAction *> toolActions() const;

public slots:
    void setTool(const QString &tool); // "pen" or "eraser"
    void setInkColor(const QString &color);
    void setStrokeWidth(double width);
    void undoLastStroke();
    void redoStroke();
    void clearWithConfirmation(); // asks first, then reset_drawing
    void exportWithDialog();      // asks for a file name, then exportPng
    bool exportPng(const QString &path, double scale = 2.0);
    void showNotice(const QString &text);               // e.g. the server refused a stroke
    void showCleared(const QString &byName, bool byMe); // "Bob cleared the board"
    // Offline: a banner says so, and how many strokes / undos of ours wait to be sent.
    void setOffline(bool offline, int waiting);

private:
    QToolButton *swatchButton(const QString &color, int index);
    void chooseCustomColor();
    void syncWidthBox();

    QPointer<board::BoardModel> m_model;
    BoardScene *m_scene;
    BoardView *m_view;
    QAction *m_pen;
    QAction *m_eraser;
    QComboBox *m_width;
    QToolButton *m_custom;
    QToolButton *m_fitButton;
    QActionGroup *m_swatches;
    QLabel *m_notice;
    QLabel *m_offline;
    double m_penWidth;
    double m_eraserWidth;
};

} // namespace chalk::ui
