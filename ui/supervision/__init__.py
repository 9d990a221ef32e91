"""督查与整改 screens: the board, the inspection form, the notice editor and page, 门前三包."""
