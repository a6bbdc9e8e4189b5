#![no_std]
#![no_main]
use c as _;
