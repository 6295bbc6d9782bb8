"""ext2, read and write (revisions 0 and 1; 1-64 KiB blocks; filetype, sparse_super,
large_file; the compat features that change nothing we write). See fs.py for the file
system and its rules, inode.py for files and directories, layout.py for the on-disk
structures."""

from kevlar.fs.ext2.fs import Ext2Error, Ext2Fs
from kevlar.fs.ext2.inode import Ext2File, Ext2Inode

__all__ = ["Ext2Fs", "Ext2Error", "Ext2Inode", "Ext2File"]
