#!/usr/bin/env python
from thenchot.manage import main

if __name__ == "__main__":
    main()
