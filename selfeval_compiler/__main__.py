from selfeval_compiler.cli import main

main()
